import { describe, expect, it } from 'vitest';
import {
  assemble,
  buildResults,
  checkTargets,
  parseArgs,
  renderMarkdown,
  renderReport,
  SECTIONS,
  summarize,
  type GetRun,
  type Machine,
  type Round,
  type Settings,
  type WorkerBusyResult,
} from '../../bench/report.js';
import type { Sample } from '../../bench/sample.js';

const sample = (rps: number, p50Ms = 1, p99Ms = 2): Sample => ({ rps, p50Ms, p99Ms });
const round = (uncached: Sample, cached: Sample, ceiling: Sample): Round => ({ uncached, cached, ceiling });
const machine: Machine = { cpus: 4, cpuModel: 'Test CPU', memoryGiB: 8, node: 'v20.0.0', date: '2025-01-02T03:04:05.000Z', mode: 'quick', seconds: 90 };
const settings: Settings = { products: 1_000, connections: 50, durationSeconds: 5, rounds: 3 };

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

  it('states the setup and the ratios', () => {
    expect(markdown).toContain('### GET /products/:id (1000 products, 50 connections, 5 s per run, median of 3 rounds, quick)');
    expect(markdown).toContain('cached / uncached: 3×; cached / ceiling: 0.75×');
  });
});

describe('parseArgs', () => {
  it('runs every section in full mode by default', () => {
    expect(parseArgs([])).toEqual({ mode: 'full', sections: SECTIONS });
  });

  it('takes --quick and --only in either spelling', () => {
    expect(parseArgs(['--quick', '--only', 'get,images'])).toEqual({ mode: 'quick', sections: ['get', 'images'] });
    expect(parseArgs(['--only=list'])).toEqual({ mode: 'full', sections: ['list'] });
  });

  it('refuses unknown sections, an empty --only and unknown arguments, naming the valid ones', () => {
    expect(() => parseArgs(['--only', 'gets'])).toThrow(/get, list, stampede, overload, worker, images; got "gets"/);
    expect(() => parseArgs(['--only'])).toThrow(/--only takes sections/);
    expect(() => parseArgs(['--fast'])).toThrow(/unknown argument "--fast"/);
  });
});

describe('checkTargets', () => {
  it('checks the figures present against the issue targets, lower and upper bounds alike', () => {
    const targets = checkTargets({ get: { cached_vs_uncached: 2.5, cached_vs_ceiling: 0.8 }, list: { p99_ms: 21 }, api_with_worker_vs_alone: 0.75 });
    expect(targets).toEqual([
      { key: 'get.cached_vs_uncached', value: 2.5, bound: 3, direction: 'min', met: false },
      { key: 'get.cached_vs_ceiling', value: 0.8, bound: 0.8, direction: 'min', met: true },
      { key: 'list.p99_ms', value: 21, bound: 20, direction: 'max', met: false },
      { key: 'api_with_worker_vs_alone', value: 0.75, bound: 0.75, direction: 'min', met: true },
    ]);
  });

  it('leaves out sections that did not run', () => {
    expect(checkTargets({})).toEqual([]);
  });
});

describe('assemble and renderReport', () => {
  const get: GetRun = {
    settings: { connections: 50, durationSeconds: 5, rounds: 1 },
    summary: round(sample(1000, 40, 90), sample(3000, 12, 30), sample(4000, 10, 25)),
    rounds: [round(sample(1000, 40, 90), sample(3000, 12, 30), sample(4000, 10, 25))],
    cpuUsPerRequest: {
      uncached: { api: 300, postgres: 150, redis: 0 },
      cached: { api: 200, postgres: 0, redis: 20 },
      ceiling: { api: 150, postgres: 0, redis: 0 },
    },
  };
  const worker: WorkerBusyResult = {
    alone: sample(3000, 12, 30),
    busy: sample(2400, 15, 40),
    ratio: 0.8,
    images_per_busy_run: 42,
    rounds: [{ alone: sample(3000, 12, 30), busy: sample(2400, 15, 40) }],
  };
  const report = assemble(machine, { products: 100_000, users: 100 }, { get, worker });

  it('puts the issue keys where latest.json promises them, with the raw rounds', () => {
    expect(report.get).toMatchObject({ cached_rps: 3000, uncached_rps: 1000, cached_vs_uncached: 3, settings: get.settings });
    expect(report.api_with_worker_vs_alone).toBe(0.8);
    expect(report.raw.get_rounds).toEqual(get.rounds);
    expect(report.get?.cpu_us_per_request.cached).toEqual({ api: 200, postgres: 0, redis: 20 });
    expect(report.targets.map((t) => [t.key, t.met])).toEqual([
      ['get.cached_vs_uncached', true],
      ['get.cached_vs_ceiling', false],
      ['api_with_worker_vs_alone', true],
    ]);
    expect(report).not.toHaveProperty('images');
  });

  it('renders the machine, each section run and the targets', () => {
    const markdown = renderReport(report);
    expect(markdown).toContain('## Benchmark (quick): 100000 products of 100 users');
    expect(markdown).toContain('4 × Test CPU, 8 GiB, Node v20.0.0, 2025-01-02T03:04:05.000Z, 90 s in all');
    expect(markdown).toContain('| cached (Redis) | 3000 | 12 | 30 |');
    expect(markdown).toContain('| worker busy | 2400 | 15 | 40 |');
    expect(markdown).toContain('| uncached | 300 | 150 | 0 | 450 |');
    expect(markdown).toContain('busy / alone: 0.8× (the worker finished 42 images during each busy run)');
    expect(markdown).toContain('| get.cached_vs_ceiling | 0.75 | ≥ 0.8 | **no** |');
    expect(markdown).not.toContain('GET /products with');
  });
});
