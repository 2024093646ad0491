import { describe, expect, it } from 'vitest';
import { medianSample, type Sample } from '../../bench/sample.js';

const sample = (rps: number, p50Ms: number, p99Ms: number): Sample => ({ rps, p50Ms, p99Ms });

describe('medianSample', () => {
  it('takes the median of each measure on its own', () => {
    expect(medianSample([sample(10, 5, 50), sample(30, 1, 90), sample(20, 3, 10)])).toEqual({ rps: 20, p50Ms: 3, p99Ms: 50 });
  });

  it('averages the middle pair of an even number of samples', () => {
    expect(medianSample([sample(10, 1, 4), sample(20, 3, 8)])).toEqual({ rps: 15, p50Ms: 2, p99Ms: 6 });
  });

  it('throws without samples', () => {
    expect(() => medianSample([])).toThrow(/empty/);
  });
});
