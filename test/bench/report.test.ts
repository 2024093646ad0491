import { describe, expect, it } from 'vitest';
import { buildResults, median, renderMarkdown, summarize, type Machine, type Round, type Sample, type Settings } from '../../bench/report.js';

const sample = (rps: number, p50Ms = 1, p99Ms = 2): Sample => ({ rps, p50Ms, p99Ms });
const round = (uncached: Sample, cached: Sample, ceiling: Sample): Round => ({ uncached, cached, ceiling });
const machine: Machine = { cpus: 4, cpuModel: 'Test CPU', node: 'v20.0.0', date: '2025-01-02T03:04:05.000Z', mode: 'quick' };
const settings: Settings = { products: 1_000, connections: 50, durationSeconds: 5, rounds: 3 };

describe('median', () => {
  it('takes the middle of an odd count, whatever the order', () => {
    expect(median([9, 1, 5])).toBe(5);
  });

  it('averages the two middle values of an even count', () => {
    expect(median([4, 1, 3, 10])).toBe(3.5);
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it('throws on an empty list', () => {
    expect(() => median([])).toThrow(/empty/);
  });
});

describe('summarize', () => {
  it('takes each measure of each variant as its own median over the rounds', () => {
    const summary = summarize([
      round(sample(100, 10, 50), sample(900, 2, 9), sample(1000, 1, 5)),
      round(sample(300, 30, 70), sample(700, 4, 7), sample(1200, 3, 8)),
      round(sample(200, 20, 90), sample(800, 3, 8), sample(1100, 2, 6)),
    ]);
    expect(summary).toEqual({
      uncached: { rps: 200, p50Ms: 20, p99Ms: 70 },
      cached: { rps: 800, p50Ms: 3, p99Ms: 8 },
      ceiling: { rps: 1100, p50Ms: 2, p99Ms: 6 },
    });
  });

  it('throws without rounds', () => {
    expect(() => summarize([])).toThrow(/empty/);
  });
});

describe('buildResults', () => {
  const results = buildResults(round(sample(1000.4, 40, 90), sample(3333.6, 12, 30), sample(4000, 10, 25)), machine, settings);

  it('reports rounded req/s and the ratios to two decimals', () => {
    expect(results.get).toMatchObject({ uncached_rps: 1000, cached_rps: 3334, ceiling_rps: 4000, cached_vs_uncached: 3.33, cached_vs_ceiling: 0.83 });
  });

  it('carries p50 and p99 per variant, the machine and the settings', () => {
    expect(results.get).toMatchObject({ cached_p50_ms: 12, cached_p99_ms: 30, uncached_p50_ms: 40, uncached_p99_ms: 90, ceiling_p50_ms: 10, ceiling_p99_ms: 25 });
    expect(results.machine).toEqual(machine);
    expect(results.settings).toEqual(settings);
  });
});

describe('renderMarkdown', () => {
  const markdown = renderMarkdown(buildResults(round(sample(1000, 40, 90), sample(3000, 12, 30), sample(4000, 10, 25)), machine, settings));

  it('has a table row per variant with req/s, p50 and p99', () => {
    expect(markdown).toContain('| Variant | req/s | p50 ms | p99 ms |');
    expect(markdown).toContain('| uncached (PostgreSQL) | 1000 | 40 | 90 |');
    expect(markdown).toContain('| cached (Redis) | 3000 | 12 | 30 |');
    expect(markdown).toContain('| ceiling (/healthz) | 4000 | 10 | 25 |');
  });

  it('states the setup, the machine and the ratios', () => {
    expect(markdown).toContain('1000 products, 50 connections, 5 s per run, median of 3 rounds (quick)');
    expect(markdown).toContain('4 × Test CPU, Node v20.0.0, 2025-01-02T03:04:05.000Z');
    expect(markdown).toContain('cached / uncached: 3×; cached / ceiling: 0.75×');
  });
});
