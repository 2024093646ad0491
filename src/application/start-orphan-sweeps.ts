import type { Logger } from './ports/logger.js';
import type { ObjectListing } from './ports/object-store.js';
import type { ObjectLifecycleDeps } from './object-lifecycle.js';
import { sweepOrphans, type SweepSummary } from './sweep-orphans.js';

export interface OrphanSweepsOptions {
  /** Pause between the end of one sweep and the start of the next; the first starts one pause after start. */
  readonly intervalMs: number;
  /** As for `npm run gc`: objects younger than this are never touched. */
  readonly graceMs: number;
}

export interface OrphanSweeps {
  /** Cancels the next sweep, ends the one in progress after its current object, and resolves once it has. */
  stop(): Promise<void>;
}

/**
 * The periodic form of `npm run gc`: sweeps orphaned objects every `intervalMs`, one sweep at a
 * time (the next is scheduled only once the last has ended, however long it took), logging one
 * summary line per sweep. A failed sweep is logged and the schedule goes on. Safe beside the
 * command and beside other workers' sweeps: each deletion takes the deletion lease.
 */
export function startOrphanSweeps(
  deps: ObjectLifecycleDeps & { listing: ObjectListing; logger: Pick<Logger, 'info' | 'warn'> },
  options: OrphanSweepsOptions,
): OrphanSweeps {
  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();

  const sweep = async () => {
    const started = performance.now();
    try {
      const summary: SweepSummary = await sweepOrphans(deps, { graceMs: options.graceMs, dryRun: false, signal: abort.signal });
      const ms = Math.round(performance.now() - started);
      deps.logger.info({ ...summary, ms, interrupted: abort.signal.aborted }, 'orphan sweep finished');
    } catch (error) {
      deps.logger.warn({ err: error }, 'orphan sweep failed; the next one runs as scheduled');
    }
  };
  const schedule = () => {
    if (abort.signal.aborted) return;
    timer = setTimeout(() => {
      running = sweep().then(schedule);
    }, options.intervalMs);
    // A pending sweep never keeps the process alive on its own.
    timer.unref?.();
  };
  schedule();
  deps.logger.info({ interval_ms: options.intervalMs, grace_ms: options.graceMs }, 'orphan sweeps scheduled');

  return {
    async stop() {
      abort.abort();
      clearTimeout(timer);
      await running;
    },
  };
}
