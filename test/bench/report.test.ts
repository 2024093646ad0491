import { describe, expect, it } from 'vitest';
import type { GetRun, Round } from '../../bench/get-report.js';
import { buildHostileResult } from '../../bench/hostile-report.js';
import { buildScalingResult } from '../../bench/scaling-report.js';
import { buildImagesResult } from '../../bench/images-report.js';
import { buildQualityResult } from '../../bench/quality-report.js';
import { assemble, parseArgs, renderReport, SECTIONS, type Machine } from '../../bench/report.js';
import type { Sample } from '../../bench/sample.js';
import { buildListResult, buildOverloadResult, buildStampedeResult } from '../../bench/sections-report.js';
import { TARGETS } from '../../bench/targets.js';
import type { WorkerBusyResult } from '../../bench/worker-report.js';

const sample = (rps: number, p50Ms = 1, p99Ms = 2): Sample => ({ rps, p50Ms, p99Ms });
const round = (uncached: Sample, cached: Sample, ceiling: Sample): Round => ({ uncached, cached, ceiling });
const machine: Machine = { cpus: 4, cpuModel: 'Test CPU', memoryGiB: 8, node: 'v20.0.0', date: '2025-01-02T03:04:05.000Z', mode: 'quick', seconds: 90 };

describe('parseArgs', () => {
  it('runs every section in full mode by default', () => {
    expect(parseArgs([])).toEqual({ mode: 'full', sections: SECTIONS });
  });

  it('takes --quick and --only in either spelling', () => {
    expect(parseArgs(['--quick', '--only', 'get,images'])).toEqual({ mode: 'quick', sections: ['get', 'images'] });
    expect(parseArgs(['--only=list'])).toEqual({ mode: 'full', sections: ['list'] });
    expect(parseArgs(['--only', 'hostile', '--quick'])).toEqual({ mode: 'quick', sections: ['hostile'] });
  });

  it('refuses unknown sections, an empty --only and unknown arguments, naming the valid ones', () => {
    expect(() => parseArgs(['--only', 'gets'])).toThrow(/get, list, stampede, overload, worker, images, quality, hostile, scaling, bulk, events; got "gets"/);
    expect(() => parseArgs(['--only'])).toThrow(/--only takes sections/);
    expect(() => parseArgs(['--fast'])).toThrow(/unknown argument "--fast"/);
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
    expect(markdown).toContain('| get.cached_vs_ceiling | 0.75 | ≥ 0.9 | **no** |');
    expect(markdown).not.toContain('GET /products with');
  });

  it('checks every target of the table, in its order, when every section ran', () => {
    const list = buildListResult([sample(50, 4, 12)], [sample(230, 35, 90)], {
      products: 1_000,
      connections: 2,
      saturatedConnections: 50,
      durationSeconds: 5,
      itemsPerPageMean: 10,
      cached: { pages: 100, uncached: [sample(200, 1, 1)], cached: [sample(700, 1, 1)], cpu: { uncached: { api: 300, postgres: 500, redis: 0 }, cached: { api: 90, postgres: 0, redis: 20 } } },
    });
    const stampede = buildStampedeResult(200, [{ loads: 1, p50Ms: 5, p99Ms: 9 }]);
    const overload = buildOverloadResult([{ ...sample(1000), errors: 0 }, { ...sample(900), errors: 0 }, { ...sample(950), errors: 0 }], { pool: 10, inFlight: 50, durationSeconds: 5 });
    const run = { images: 10, seconds: 2, cpuSeconds: 2, peakRssMb: 200 };
    const images = buildImagesResult({ concurrency: 2, bare: run, single: run, pipeline: run, firstRenditionSeconds: [0.3], quality: { webp: [{ file: 'a.jpg', sourceBytes: 10, outputBytes: 1, ssim: 0.99 }], avif: null, jpeg: null }, notes: [] });
    const hostile = buildHostileResult({
      service: 'server.ts',
      probe: { intervalMs: 10, timeoutMs: 60_000 },
      samples: [{ sentAt: 0, ms: 3, ok: true }],
      runs: [{ name: 'multipart', label: 'parts', issueRow: 1, requestBytes: 1, window: { start: 0, end: 10 }, outcomes: [{ status: 404, bytes: 0, ms: 5 }], rss: { startMb: 100, peakMb: 500, endMb: 400 }, recoverySeconds: 0 }],
      rss: { afterStartMb: 90, baselineMb: 100 },
      shutdown: { exited: true, seconds: 0.2, code: 0 },
      serviceErrors: {},
      seconds: 30,
    });
    const scaleRun = { processes: 1, rps: 100, p99Ms: 5, cores: { 'api 1': 1 } };
    const imageRun = { processes: 1, images: 10, seconds: 2, imagesPerSecond: 5, cores: { 'worker 1': 1 } };
    const scaling = buildScalingResult({
      cpus: 2,
      loadAverage: 1,
      get: { connections: 10, durationSeconds: 1, one: scaleRun, two: { ...scaleRun, processes: 2, rps: 190 } },
      images: { one: imageRun, two: { ...imageRun, processes: 2, imagesPerSecond: 4 } },
    });
    const quality = buildQualityResult({
      target: 0.965,
      fixed: { cpu_s: 1, renditions: [{ file: 'a.jpg', width: 1600, format: 'webp', bytes: 100, ssim: 0.97 }] },
      targeted: { cpu_s: 3, renditions: [{ file: 'a.jpg', width: 1600, format: 'webp', bytes: 70, ssim: 0.968 }] },
    });
    const bulkSample = (perSecond: number) => ({ products: 100_000, seconds: 100_000 / perSecond, perSecond, cpuUsPerProduct: { api: 40, postgres: 30, redis: 2 }, loadAverage: 1.5 });
    const bulk = { products: 100_000, withoutImages: bulkSample(12_000), withImages: bulkSample(4_000), per_second: 12_000 };
    const events = { events: 1_000, seconds: 4, per_second: 250, load_average: 2, get: { connections: 50, duration_s: 3, rounds: 2, alone_rps: 1_000, during_rps: 950, deliveries_during_median: 600, during_vs_alone: 0.95 } };
    const all = assemble(machine, { products: 1_000, users: 10 }, { get, list, stampede, overload, worker, images, quality, hostile, scaling, bulk, events });
    expect(all.targets.map((t) => t.key)).toEqual(Object.keys(TARGETS));
    const markdown = renderReport(all);
    expect(markdown).toContain('| images.peak_rss_mb | 200 | ≤ 450 | yes |');
    expect(markdown).toContain('### Quality targeting');
    expect(markdown).toContain('| quality.cpu_ratio | 3 | ≤ 2 | **no** |');
    expect(markdown).toContain('### Hostile traffic');
    expect(markdown).toContain('| hostile.healthz_p99_ms | 3 | ≤ 100 | yes |');
    expect(markdown).toContain('| hostile.rss_growth_mb | 400 | ≤ 256 | **no** |');
    expect(markdown).toContain('### Scaling out on 2 cores');
    expect(markdown).toContain('| scaling.get_ratio | 1.9 | ≥ 0.9 | yes |');
    expect(markdown).toContain('| scaling.images_ratio | 0.8 | ≥ 0.9 | **no** |');
    expect(markdown).toContain('| 2 image URLs each | 4000 | 25.0 | 40 | 30 | 1.50 |');
    expect(markdown).toContain('| bulk.per_second | 12000 | ≥ 10000 | yes |');
    expect(markdown).toContain('### Events through the outbox');
    expect(markdown).toContain('| events.get.during_vs_alone | 0.95 | ≥ 0.9 | yes |');
  });
});
