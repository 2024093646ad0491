import { sweepOrphans, type SweepSummary } from '../application/index.js';
import type { ObjectSweepDeps } from './build-deps.js';

export interface GcCommand {
  readonly dryRun: boolean;
}

export const GC_USAGE = 'usage: npm run gc -- [--dry-run]';

/** Parses the arguments after `npm run gc --`; throws with the usage on anything else. */
export function parseGcArgs(args: readonly string[]): GcCommand {
  if (args.length === 0) return { dryRun: false };
  if (args.length === 1 && args[0] === '--dry-run') return { dryRun: true };
  throw new Error(GC_USAGE);
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** One line of figures, as the progress line and the summary print it. */
export const describeSweep = (summary: Readonly<SweepSummary>, dryRun: boolean): string =>
  `found ${summary.found}, kept ${summary.kept}, ${dryRun ? 'would delete' : 'deleted'} ${summary.deleted}, ` +
  `${dryRun ? 'would free' : 'freed'} ${mib(summary.bytes_freed)} (${summary.bytes_freed} bytes)`;

/**
 * Sweeps orphaned objects older than `graceMs`, writing a progress line to `progress` as it goes
 * (rewritten in place on a terminal); returns the summary to print.
 */
export async function runGcCommand(
  deps: ObjectSweepDeps,
  command: GcCommand,
  options: { graceMs: number; progress: (line: string) => void },
): Promise<string> {
  const summary = await sweepOrphans(deps, {
    graceMs: options.graceMs,
    dryRun: command.dryRun,
    onProgress: (current) => options.progress(`gc: ${describeSweep(current, command.dryRun)}`),
  });
  const hours = options.graceMs / 3_600_000;
  return `${command.dryRun ? 'dry run, nothing deleted: ' : ''}${describeSweep(summary, command.dryRun)}; grace period ${hours} h`;
}
