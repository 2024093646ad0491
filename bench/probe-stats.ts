/** Figures of a paced /healthz probe: which probes fell in a window, and their latency percentiles. */
import { percentile, round1 } from './stats.js';

/** One probe: when it was sent (epoch ms), how long it took, and whether it answered 200 (else why not). */
export interface ProbeSample {
  readonly sentAt: number;
  readonly ms: number;
  readonly ok: boolean;
  /** When not ok: the error code, or the status it answered. */
  readonly failure?: string;
}

/** Above this a probe counts as slow; a failed probe counts as slow and its latency as at least this. */
export const SLOW_MS = 1_000;

/** A span of time in epoch ms. */
export interface Window {
  readonly start: number;
  readonly end: number;
}

/** The probe's figures over one window. */
export interface ProbeSummary {
  /** Probes sent; a slow answer holds the next one back, so a stalled service gets few. */
  readonly probes: number;
  /** Connection errors, timeouts and answers other than 200. */
  readonly failed: number;
  /** Probes that took longer than a second, or failed. */
  readonly over_1s: number;
  /** Percentiles corrected for the probes a slow answer held back (see correctedLatencies). */
  readonly p50_ms: number;
  readonly p99_ms: number;
  readonly max_ms: number;
  /** The p99 of the probes actually sent, for comparison. */
  readonly p99_uncorrected_ms: number;
}

/** Failed probes counted by reason (`UND_ERR_SOCKET`, `status 503`), the most frequent first. */
export function failureReasons(samples: readonly ProbeSample[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const { ok, failure = 'unknown' } of samples) if (!ok) counts.set(failure, (counts.get(failure) ?? 0) + 1);
  return Object.fromEntries([...counts].sort(([a, x], [b, y]) => y - x || a.localeCompare(b)));
}

// Tenths of a millisecond say something about a quick probe, nothing about a freeze.
const roundMs = (ms: number) => (ms >= 100 ? Math.round(ms) : round1(ms));

/** The probes in flight at any time during one of `windows`: sent before it ended, answered after it began. */
export function probesIn(samples: readonly ProbeSample[], windows: readonly Window[]): ProbeSample[] {
  return samples.filter((sample) => windows.some((window) => sample.sentAt < window.end && sample.sentAt + sample.ms > window.start));
}

/**
 * The latencies with each slow one standing also for the probes it kept from being sent: a probe
 * that took L ms on a probe paced every `intervalMs` adds L − interval, L − 2 × interval, … down
 * to above zero, the latencies those probes would have seen (HdrHistogram's expected-interval
 * correction). Without it a 10 s freeze is one sample among thousands and barely moves the p99.
 */
export function correctedLatencies(latencies: readonly number[], intervalMs: number): number[] {
  if (!(intervalMs > 0)) throw new Error(`the probe interval must be positive, got ${intervalMs}`);
  return latencies.flatMap((ms) => {
    const held = [ms];
    for (let missed = ms - intervalMs; missed > 0; missed -= intervalMs) held.push(missed);
    return held;
  });
}

/**
 * The probe's figures over `samples`; a failed probe counts as the time it took, and at least as
 * slow (SLOW_MS): a refused connection is no quick answer. Throws when there is no probe: a window
 * the probe missed has no figures to report.
 */
export function summarizeProbes(samples: readonly ProbeSample[], options: { intervalMs: number }): ProbeSummary {
  if (samples.length === 0) throw new Error('no /healthz probe answered or failed during the window');
  const latencies = samples.map((sample) => (sample.ok ? sample.ms : Math.max(sample.ms, SLOW_MS)));
  const corrected = correctedLatencies(latencies, options.intervalMs);
  return {
    probes: samples.length,
    failed: samples.filter((sample) => !sample.ok).length,
    over_1s: samples.filter((sample) => !sample.ok || sample.ms > SLOW_MS).length,
    p50_ms: roundMs(percentile(corrected, 50)),
    p99_ms: roundMs(percentile(corrected, 99)),
    max_ms: roundMs(Math.max(...latencies)),
    p99_uncorrected_ms: roundMs(percentile(latencies, 99)),
  };
}
