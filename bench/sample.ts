/** What one load run measures, shared by every section that runs autocannon and by their reports. */
import { median } from './stats.js';

/** One autocannon run: its throughput and two latency percentiles. */
export interface Sample {
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** One autocannon run whose failed requests (errors, timeouts, non-2xx) are counted, not thrown. */
export interface CountedSample extends Sample {
  readonly errors: number;
}

/** The median of each measure over the samples, each measure on its own. */
export function medianSample(samples: readonly Sample[]): Sample {
  return {
    rps: median(samples.map((sample) => sample.rps)),
    p50Ms: median(samples.map((sample) => sample.p50Ms)),
    p99Ms: median(samples.map((sample) => sample.p99Ms)),
  };
}
