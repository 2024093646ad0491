import type { ApiLoadReports } from './ports/api-load.js';
import type { Logger } from './ports/logger.js';

export interface ApiLoadReportOptions {
  /** The host id the API shares with the workers that should yield to it (HOST_ID). */
  readonly host: string;
  /** How often the load is measured (default 250 ms). */
  readonly intervalMs?: number;
  /** The event-loop utilization, 0 to 1, at and above which the API counts as saturated (default 0.8). */
  readonly threshold?: number;
}

export interface ApiLoadReporting {
  stop(): void;
}

const DEFAULT_INTERVAL_MS = 250;
const DEFAULT_THRESHOLD = 0.8;
/** A mark outlives a few missed reports, and expires soon after the API has room again. */
const MARKS_PER_INTERVAL = 4;

/**
 * The API's side of `yieldToApi`: measures its event loop's utilization every interval (through
 * `meter`, the share of the last interval the loop was busy) and, while it is at or above the
 * threshold, marks the host saturated for a few intervals. A saturated loop is the API's own sign
 * that requests wait for CPU; an idle API writes nothing. A failed mark is logged once and retried
 * on the next interval.
 */
export function reportApiLoad(
  deps: { reports: ApiLoadReports; meter: () => number; logger: Pick<Logger, 'warn'> },
  options: ApiLoadReportOptions,
): ApiLoadReporting {
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  let failing = false;
  deps.meter(); // the first interval starts now
  const timer = setInterval(() => {
    if (deps.meter() < threshold) return;
    deps.reports.markSaturated(options.host, MARKS_PER_INTERVAL * intervalMs).then(
      () => {
        failing = false;
      },
      (error: unknown) => {
        if (!failing) deps.logger.warn({ err: error }, 'cannot tell the workers on this host that the API is saturated');
        failing = true;
      },
    );
  }, intervalMs);
  timer.unref?.();
  return { stop: () => clearInterval(timer) };
}
