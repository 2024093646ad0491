import { describe, expect, it } from 'vitest';
import { correctedLatencies, failureReasons, probesIn, summarizeProbes, type ProbeSample } from '../../bench/probe-stats.js';

const probe = (sentAt: number, ms: number, failure?: string): ProbeSample => ({ sentAt, ms, ok: failure === undefined, ...(failure && { failure }) });

describe('probesIn', () => {
  const samples = [probe(0, 5), probe(90, 20), probe(120, 5), probe(300, 400), probe(1000, 5)];

  it('keeps the probes in flight at any time during a window, those that straddle its edges included', () => {
    expect(probesIn(samples, [{ start: 100, end: 500 }])).toEqual([probe(90, 20), probe(120, 5), probe(300, 400)]);
  });

  it('keeps a probe once however many windows it overlaps', () => {
    expect(probesIn(samples, [{ start: 0, end: 95 }, { start: 91, end: 130 }])).toEqual([probe(0, 5), probe(90, 20), probe(120, 5)]);
  });

  it('leaves out probes that ended before the window or were sent after it', () => {
    expect(probesIn(samples, [{ start: 10, end: 90 }])).toEqual([]);
  });
});

describe('correctedLatencies', () => {
  it('adds, for a slow probe, the latencies of the probes it held back', () => {
    expect(correctedLatencies([50], 15)).toEqual([50, 35, 20, 5]);
  });

  it('leaves probes faster than the interval alone', () => {
    expect(correctedLatencies([3, 15, 7], 15)).toEqual([3, 15, 7]);
  });

  it('refuses an interval that is not positive', () => {
    expect(() => correctedLatencies([3], 0)).toThrow(/positive/);
  });
});

describe('summarizeProbes', () => {
  const options = { intervalMs: 10 };

  it('reports corrected percentiles, the max, and the uncorrected p99', () => {
    // 198 quick probes and one of 2 s: alone it is not the p99; with the 199 probes it held back it is.
    const samples = [...Array.from({ length: 198 }, (_, i) => probe(i * 10, 2)), probe(1_980, 2_000)];
    expect(summarizeProbes(samples, options)).toEqual({ probes: 199, failed: 0, over_1s: 1, p50_ms: 10, p99_ms: 1_970, max_ms: 2_000, p99_uncorrected_ms: 2 });
  });

  it('keeps the p99 of quick probes low: the correction adds nothing below the interval', () => {
    const samples = Array.from({ length: 200 }, (_, i) => probe(i * 10, i === 0 ? 9 : 1));
    expect(summarizeProbes(samples, options)).toMatchObject({ p50_ms: 1, p99_ms: 1, max_ms: 9, over_1s: 0 });
  });

  it('counts a failed probe as slow: at least a second, or the time it took', () => {
    expect(summarizeProbes([probe(0, 1), probe(10, 0.5, 'ECONNREFUSED')], options)).toMatchObject({ probes: 2, failed: 1, over_1s: 1, max_ms: 1_000 });
    expect(summarizeProbes([probe(0, 1), probe(10, 4_000, 'UND_ERR_SOCKET')], options)).toMatchObject({ failed: 1, over_1s: 1, max_ms: 4_000 });
  });

  it('rounds to tenths of a millisecond below 100 ms, to milliseconds above', () => {
    expect(summarizeProbes([probe(0, 8.765)], options)).toMatchObject({ p50_ms: 8.8, max_ms: 8.8 });
    expect(summarizeProbes([probe(0, 2_345.6)], options)).toMatchObject({ max_ms: 2_346, p99_uncorrected_ms: 2_346 });
  });

  it('throws when no probe fell in the window', () => {
    expect(() => summarizeProbes([], options)).toThrow(/no \/healthz probe/);
  });
});

describe('failureReasons', () => {
  it('counts the failed probes by reason, the most frequent first', () => {
    const samples = [probe(0, 1), probe(10, 1, 'status 503'), probe(20, 1, 'UND_ERR_SOCKET'), probe(30, 1, 'UND_ERR_SOCKET')];
    expect(failureReasons(samples)).toEqual({ UND_ERR_SOCKET: 2, 'status 503': 1 });
    expect(Object.keys(failureReasons(samples))).toEqual(['UND_ERR_SOCKET', 'status 503']);
  });
});
