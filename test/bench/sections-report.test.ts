import { describe, expect, it } from 'vitest';
import type { CountedSample, Sample } from '../../bench/sample.js';
import {
  buildListResult,
  buildOverloadResult,
  buildStampedeResult,
  counterValue,
  renderListMarkdown,
  renderOverloadMarkdown,
  renderStampedeMarkdown,
  type StampedeKey,
} from '../../bench/sections-report.js';

const sample = (rps: number, p50Ms: number, p99Ms: number): Sample => ({ rps, p50Ms, p99Ms });
const counted = (rps: number, errors = 0, p50Ms = 10, p99Ms = 30): CountedSample => ({ rps, p50Ms, p99Ms, errors });
const key = (loads: number, p50Ms = 5, p99Ms = 9): StampedeKey => ({ loads, p50Ms, p99Ms });
const listSetup = { products: 100_000, connections: 2, saturatedConnections: 50, durationSeconds: 5, itemsPerPageMean: 14.237 };

describe('counterValue', () => {
  const metrics = [
    '# HELP product_cache_loads_total Database loads after misses.',
    '# TYPE product_cache_loads_total counter',
    'product_cache_loads_total 17',
    '# TYPE product_cache_loads_total_other counter',
    'product_cache_loads_total_other 99',
    '',
  ].join('\n');

  it('reads the named counter, not one whose name it prefixes', () => {
    expect(counterValue(metrics, 'product_cache_loads_total')).toBe(17);
    expect(counterValue(metrics, 'product_cache_loads_total_other')).toBe(99);
  });

  it('throws when the counter is missing or not a number', () => {
    expect(() => counterValue(metrics, 'product_cache_hits_total')).toThrow(/product_cache_hits_total/);
    expect(() => counterValue('product_cache_hits_total NaN\n', 'product_cache_hits_total')).toThrow(/no counter/);
  });
});

describe('buildListResult', () => {
  const list = buildListResult([sample(50, 4, 9), sample(50, 3.04, 12.06), sample(49, 5, 30)], [sample(200.4, 40, 90), sample(260.2, 30.04, 70.06), sample(230, 35, 400)], listSetup);

  it('takes each measure as its own median over the rounds, rounded, light and saturated apart', () => {
    expect(list).toMatchObject({ connections: 2, rps: 50, p50_ms: 4, p99_ms: 12.1 });
    expect(list.saturated).toEqual({ connections: 50, rps: 230, p50_ms: 35, p99_ms: 90 });
  });

  it('carries the setup and the mean page size to one decimal', () => {
    expect(list).toMatchObject({ products: 100_000, duration_s: 5, rounds: 3, items_per_page_mean: 14.2 });
  });

  it('averages the middle pair of an even number of rounds', () => {
    expect(buildListResult([sample(50, 10, 20.1), sample(50, 20, 30.2)], [sample(100, 1, 1), sample(200, 1, 1)], listSetup)).toMatchObject({ p50_ms: 15, p99_ms: 25.2, saturated: { rps: 150 } });
  });

  it('throws without rounds', () => {
    expect(() => buildListResult([], [], listSetup)).toThrow(/empty/);
  });
});

describe('buildStampedeResult', () => {
  it('reports the largest load count over the keys, their median, and median latencies', () => {
    const result = buildStampedeResult(200, [key(1, 10, 20), key(3, 30, 60), key(1, 20, 41.26)]);
    expect(result).toEqual({ concurrent: 200, keys: 3, db_loads: 3, db_loads_median: 1, p50_ms: 20, p99_ms: 41.3 });
  });

  it('summarizes several processes: the largest total and the largest count of one process', () => {
    const result = buildStampedeResult(200, [key(1)], [[1, 0], [1, 1], [2, 0]]);
    expect(result.processes).toEqual({ count: 2, db_loads: 2, db_loads_per_process: 2 });
  });

  it('leaves processes out when they were not measured', () => {
    expect(buildStampedeResult(200, [key(1)])).not.toHaveProperty('processes');
    expect(buildStampedeResult(200, [key(1)], [])).not.toHaveProperty('processes');
  });

  it('throws without keys', () => {
    expect(() => buildStampedeResult(200, [])).toThrow(/empty/);
  });
});

describe('buildOverloadResult', () => {
  const setup = { pool: 10, inFlight: 50, durationSeconds: 5 };

  it('compares the third run with the first, to two decimals', () => {
    const result = buildOverloadResult([counted(1000), counted(800), counted(530.4)], setup);
    expect(result.run3_vs_run1).toBe(0.53);
  });

  it('keeps every run in order, rounded, with its errors, and the setup', () => {
    const result = buildOverloadResult([counted(1000.6, 0, 40.04, 90), counted(900, 3), counted(950, 0)], setup);
    expect(result).toMatchObject({ pool: 10, in_flight: 50, duration_s: 5 });
    expect(result.runs).toEqual([
      { rps: 1001, p50_ms: 40, p99_ms: 90, errors: 0 },
      { rps: 900, p50_ms: 10, p99_ms: 30, errors: 3 },
      { rps: 950, p50_ms: 10, p99_ms: 30, errors: 0 },
    ]);
  });

  it('throws unless there are exactly three runs', () => {
    expect(() => buildOverloadResult([counted(1), counted(1)], setup)).toThrow(/3 runs, got 2/);
    expect(() => buildOverloadResult([counted(1), counted(1), counted(1), counted(1)], setup)).toThrow(/3 runs, got 4/);
  });
});

describe('markdown', () => {
  it('renders the list with its setup, one row and the target', () => {
    const markdown = renderListMarkdown(buildListResult([sample(50, 3.5, 11)], [sample(239, 206.5, 403)], listSetup));
    expect(markdown).toContain('(100000 products, wrk, 5 s per run, median of 1 rounds, 14.2 items per page on average)');
    expect(markdown).toContain('| uncached, light: 2 in flight | 50 | 3.5 | 11 | – | – | – |');
    expect(markdown).toContain('| uncached, saturated: 50 in flight | 239 | 206.5 | 403 | – | – | – |');
    expect(markdown).toContain('p99 ≤ 20 ms at 1,000,000 products, under the light load (latency at saturation is queueing).');
  });

  it('compares cached with uncached pages, with the CPU µs per request of each process group', () => {
    const cpu = (api: number) => ({ api, postgres: api * 2, redis: 3 });
    const list = buildListResult([sample(50, 3.5, 11)], [sample(239, 206.5, 403)], {
      ...listSetup,
      saturatedCpu: cpu(400),
      cached: { pages: 480, uncached: [sample(300, 1, 1), sample(200, 1, 1), sample(250, 1, 1)], cached: [sample(1000, 1, 1), sample(900, 1, 1), sample(950, 1, 1)], cpu: { uncached: cpu(380), cached: cpu(90) } },
    });
    expect(list.cached).toEqual({ pages: 480, uncached_rps: 250, cached_rps: 950, cached_vs_uncached: 3.8, cpu_us_per_request: { uncached: cpu(380), cached: cpu(90) } });
    const markdown = renderListMarkdown(list);
    expect(markdown).toContain('| uncached, saturated: 50 in flight | 239 | 206.5 | 403 | 400 | 800 | 3 |');
    expect(markdown).toContain('| uncached, 480 pages: 50 in flight | 250 | – | – | 380 | 760 | 3 |');
    expect(markdown).toContain('| cached (Redis), the same pages | 950 | – | – | 90 | 180 | 3 |');
    expect(markdown).toContain('cached / uncached 3.8 (target ≥ 3).');
  });

  it('renders the stampede with a row per process count', () => {
    const markdown = renderStampedeMarkdown(buildStampedeResult(200, [key(1, 148.3, 177.8), key(2)], [[1, 1]]));
    expect(markdown).toContain('200 concurrent GET /products/:id of one never-read id, 2 ids');
    expect(markdown).toContain('| 1 | 2 | 1.5 | 2 | 76.7 | 93.4 |');
    expect(markdown).toContain('| 2 | 2 | – | 1 | – | – |');
    expect(markdown).toContain('Target: one database load per process.');
  });

  it('renders the stampede without the two-process row when it was not measured', () => {
    expect(renderStampedeMarkdown(buildStampedeResult(200, [key(1)]))).not.toMatch(/^\| 2 \|/m);
  });

  it('renders the overload runs in order and the ratio', () => {
    const markdown = renderOverloadMarkdown(buildOverloadResult([counted(981, 0, 49, 88), counted(817, 2, 62, 104), counted(1116, 0, 40, 102)], { pool: 10, inFlight: 50, durationSeconds: 5 }));
    expect(markdown).toContain('pool of 10, 50 requests in flight, 3 runs of 5 s back to back');
    expect(markdown).toContain('| 1 | 981 | 49 | 88 | 0 |\n| 2 | 817 | 62 | 104 | 2 |\n| 3 | 1116 | 40 | 102 | 0 |');
    expect(markdown).toContain('run 3 / run 1: 1.14× (target ≥ 0.9)');
  });
});
