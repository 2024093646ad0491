/** Pure helpers of the list, stampede and overload sections: their results and their markdown. */
import type { CpuSplit } from './cpu-split.js';
import type { CountedSample, Sample } from './sample.js';
import { markdownTable, median, round1, round2 } from './stats.js';
import { TARGETS, targetText } from './targets.js';

export interface ListResult {
  readonly products: number;
  readonly duration_s: number;
  readonly rounds: number;
  /** Over requests sampled before the load: a benchmark of empty pages would say nothing. */
  readonly items_per_page_mean: number;
  /**
   * Latency with `connections` requests in flight, below saturation: what a query costs. A closed
   * loop at saturation reports queueing instead (p50 ≈ connections / throughput).
   */
  readonly connections: number;
  readonly rps: number;
  readonly p50_ms: number;
  readonly p99_ms: number;
  /** As fast as it goes with `connections` in flight: the throughput, and the queueing it costs. */
  readonly saturated: {
    readonly connections: number;
    readonly rps: number;
    readonly p50_ms: number;
    readonly p99_ms: number;
    readonly cpu_us_per_request?: CpuSplit;
  };
  /** Cached (Redis, warmed) against uncached on the same `pages`, `saturated.connections` in flight. */
  readonly cached?: {
    readonly pages: number;
    readonly uncached_rps: number;
    readonly cached_rps: number;
    readonly cached_vs_uncached: number;
    readonly cpu_us_per_request: { readonly uncached: CpuSplit; readonly cached: CpuSplit };
  };
}

/** One cold key hit by every concurrent GET at once. */
export interface StampedeKey {
  /** Database loads the API reported for it (delta of product_cache_loads_total). */
  readonly loads: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface StampedeProcesses {
  readonly count: number;
  /** Largest total over the keys (every process together). */
  readonly db_loads: number;
  /** Largest count of one process for one key. */
  readonly db_loads_per_process: number;
}

export interface StampedeResult {
  readonly concurrent: number;
  readonly keys: number;
  /** The largest count over the keys: the figure its target (`stampede.db_loads`) is about. */
  readonly db_loads: number;
  readonly db_loads_median: number;
  readonly processes?: StampedeProcesses;
  /** Medians over the keys of each key's p50 and p99 of its concurrent GETs. */
  readonly p50_ms: number;
  readonly p99_ms: number;
}

export interface OverloadRun {
  readonly rps: number;
  readonly p50_ms: number;
  readonly p99_ms: number;
  readonly errors: number;
}

export interface OverloadResult {
  readonly pool: number;
  readonly in_flight: number;
  readonly duration_s: number;
  readonly runs: readonly OverloadRun[];
  /** req/s of the last run over the first: below 1 when the API degrades under sustained overload. */
  readonly run3_vs_run1: number;
}


/** The value of an unlabelled counter in Prometheus text; throws when it is missing. */
export function counterValue(metrics: string, name: string): number {
  const line = metrics.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  const value = Number(line?.slice(name.length + 1));
  if (line === undefined || !Number.isFinite(value)) throw new Error(`no counter ${name} in the metrics`);
  return value;
}

/** Medians over the rounds of the list's light runs and of its saturated runs. */
export function buildListResult(
  light: readonly Sample[],
  saturated: readonly Sample[],
  setup: {
    products: number;
    connections: number;
    saturatedConnections: number;
    durationSeconds: number;
    itemsPerPageMean: number;
    saturatedCpu?: CpuSplit;
    cached?: { pages: number; uncached: readonly Sample[]; cached: readonly Sample[]; cpu: { uncached: CpuSplit; cached: CpuSplit } };
  },
): ListResult {
  const cached = setup.cached;
  const rps = (samples: readonly Sample[]) => Math.round(median(samples.map((sample) => sample.rps)));
  return {
    products: setup.products,
    duration_s: setup.durationSeconds,
    rounds: light.length,
    items_per_page_mean: round1(setup.itemsPerPageMean),
    connections: setup.connections,
    rps: Math.round(median(light.map((sample) => sample.rps))),
    p50_ms: round1(median(light.map((sample) => sample.p50Ms))),
    p99_ms: round1(median(light.map((sample) => sample.p99Ms))),
    saturated: {
      connections: setup.saturatedConnections,
      rps: Math.round(median(saturated.map((sample) => sample.rps))),
      p50_ms: round1(median(saturated.map((sample) => sample.p50Ms))),
      p99_ms: round1(median(saturated.map((sample) => sample.p99Ms))),
      ...(setup.saturatedCpu && { cpu_us_per_request: setup.saturatedCpu }),
    },
    ...(cached && {
      cached: {
        pages: cached.pages,
        uncached_rps: rps(cached.uncached),
        cached_rps: rps(cached.cached),
        cached_vs_uncached: round2(rps(cached.cached) / rps(cached.uncached)),
        cpu_us_per_request: cached.cpu,
      },
    }),
  };
}

/**
 * `keys` measured against one API process; `perProcess`, when measured, holds for each key the loads
 * of each of several processes sharing the cache.
 */
export function buildStampedeResult(concurrent: number, keys: readonly StampedeKey[], perProcess?: readonly (readonly number[])[]): StampedeResult {
  const loads = keys.map((key) => key.loads);
  const processes = perProcess && perProcess.length > 0 ? summarizeProcesses(perProcess) : undefined;
  return {
    concurrent,
    keys: keys.length,
    db_loads: Math.max(...loads),
    db_loads_median: median(loads),
    ...(processes && { processes }),
    p50_ms: round1(median(keys.map((key) => key.p50Ms))),
    p99_ms: round1(median(keys.map((key) => key.p99Ms))),
  };
}

function summarizeProcesses(perProcess: readonly (readonly number[])[]): StampedeProcesses {
  const count = Math.max(...perProcess.map((loads) => loads.length));
  return {
    count,
    db_loads: Math.max(...perProcess.map((loads) => loads.reduce((sum, value) => sum + value, 0))),
    db_loads_per_process: Math.max(...perProcess.flat()),
  };
}

/** Three runs back to back, in order; the ratio compares the last with the first. */
export function buildOverloadResult(runs: readonly CountedSample[], setup: { pool: number; inFlight: number; durationSeconds: number }): OverloadResult {
  const [first, , third] = runs;
  if (runs.length !== 3 || !first || !third) throw new Error(`overload needs 3 runs, got ${runs.length}`);
  return {
    pool: setup.pool,
    in_flight: setup.inFlight,
    duration_s: setup.durationSeconds,
    runs: runs.map((run) => ({ rps: Math.round(run.rps), p50_ms: round1(run.p50Ms), p99_ms: round1(run.p99Ms), errors: run.errors })),
    run3_vs_run1: round2(third.rps / first.rps),
  };
}

const cpuCells = (cpu: CpuSplit | undefined) => (cpu ? [cpu.api, cpu.postgres, cpu.redis] : ['–', '–', '–']);

export function renderListMarkdown(list: ListResult): string {
  const { saturated, cached } = list;
  return [
    `### GET /products with user_id, price_min, price_max and product_name (${list.products} products, wrk, ` +
      `${list.duration_s} s per run, median of ${list.rounds} rounds, ${list.items_per_page_mean} items per page on average)`,
    '',
    ...markdownTable('lrrrrrr', ['Load', 'req/s', 'p50 ms', 'p99 ms', 'API µs/req', 'PostgreSQL µs/req', 'Redis µs/req'], [
      [`uncached, light: ${list.connections} in flight`, list.rps, list.p50_ms, list.p99_ms, '–', '–', '–'],
      [`uncached, saturated: ${saturated.connections} in flight`, saturated.rps, saturated.p50_ms, saturated.p99_ms, ...cpuCells(saturated.cpu_us_per_request)],
      ...(cached
        ? [
            [`uncached, ${cached.pages} pages: ${saturated.connections} in flight`, cached.uncached_rps, '–', '–', ...cpuCells(cached.cpu_us_per_request.uncached)],
            [`cached (Redis), the same pages`, cached.cached_rps, '–', '–', ...cpuCells(cached.cpu_us_per_request.cached)],
          ]
        : []),
    ]),
    '',
    `Targets: p99 ${targetText('list.p99_ms')} ms at 1,000,000 products, under the light load (latency at saturation is queueing)` +
      (cached ? `; cached / uncached ${cached.cached_vs_uncached} (target ${targetText('list.cached.cached_vs_uncached')}).` : '.'),
    '',
  ].join('\n');
}

const databaseLoads = (count: number) => (count === 1 ? 'one database load' : `${count} database loads`);

export function renderStampedeMarkdown(stampede: StampedeResult): string {
  const { processes } = stampede;
  return [
    `### Stampede: ${stampede.concurrent} concurrent GET /products/:id of one never-read id, ${stampede.keys} ids, cache on Redis`,
    '',
    ...markdownTable('rrrrrr', ['API processes', 'DB loads per id (max)', 'median', 'per process (max)', 'p50 ms', 'p99 ms'], [
      [1, stampede.db_loads, stampede.db_loads_median, stampede.db_loads, stampede.p50_ms, stampede.p99_ms],
      ...(processes ? [[processes.count, processes.db_loads, '–', processes.db_loads_per_process, '–', '–']] : []),
    ]),
    '',
    `Target: ${databaseLoads(TARGETS['stampede.db_loads'].bound)} per process.`,
    '',
  ].join('\n');
}

export function renderOverloadMarkdown(overload: OverloadResult): string {
  return [
    `### Overload: uncached GET /products/:id, pool of ${overload.pool}, ${overload.in_flight} requests in flight, ` +
      `${overload.runs.length} runs of ${overload.duration_s} s back to back`,
    '',
    ...markdownTable(
      'rrrrr',
      ['Run', 'req/s', 'p50 ms', 'p99 ms', 'errors'],
      overload.runs.map((run, i) => [i + 1, run.rps, run.p50_ms, run.p99_ms, run.errors]),
    ),
    '',
    `run 3 / run 1: ${overload.run3_vs_run1}× (target ${targetText('overload.run3_vs_run1')})`,
    '',
  ].join('\n');
}
