/** Pure helpers of the GET section: medians over its rounds, its `get` object and its markdown. */
import type { CpuSplit } from './cpu-split.js';
import { medianSample, type Sample } from './sample.js';
import { markdownTable, round2 } from './stats.js';

/** The GET section's variants, in the order of its table: the database, the cache, no dependency. */
export const VARIANTS = ['uncached', 'cached', 'ceiling'] as const;
export type Variant = (typeof VARIANTS)[number];

/** Every variant measured once, in one round. */
export type Round = Readonly<Record<Variant, Sample>>;

/** The load each variant of the GET section gets, alike for all three. */
export interface GetSettings {
  readonly connections: number;
  readonly durationSeconds: number;
  readonly rounds: number;
}

/** What the GET section hands over: its settings, the medians and every round. */
export interface GetRun {
  readonly settings: GetSettings;
  readonly summary: Round;
  readonly rounds: readonly Round[];
  /** Median CPU microseconds per request of the API process, PostgreSQL and Redis, per variant. */
  readonly cpuUsPerRequest: Readonly<Record<Variant, CpuSplit>>;
  /** The cached GET again, each request with a user's API key (absent from runs made before keys). */
  readonly keyed?: { readonly summary: Sample; readonly cpuUsPerRequest: CpuSplit } | undefined;
  /** The cached API's local copies (CACHE_LOCAL_MAX_BYTES) after the runs, from its /metrics. */
  readonly local?: LocalCopies | undefined;
}

/** What the cached API's /metrics says of its local copies once every run is done. */
export interface LocalCopies {
  /** Cache hits in all, and those answered from the local copy. */
  readonly hits: number;
  readonly local_hits: number;
  readonly entries: number;
  readonly bytes: number;
}

/** The `get` object of bench/results/latest.json: the keys the README documents, then the setup. */
export interface GetSection {
  readonly cached_rps: number;
  readonly uncached_rps: number;
  readonly ceiling_rps: number;
  readonly cached_vs_uncached: number;
  readonly cached_vs_ceiling: number;
  readonly cached_p50_ms: number;
  readonly cached_p99_ms: number;
  readonly uncached_p50_ms: number;
  readonly uncached_p99_ms: number;
  readonly ceiling_p50_ms: number;
  readonly ceiling_p99_ms: number;
  /** The cached GET with a user key: req/s and the API's extra CPU per request over the anonymous one (0.05: 5 %). */
  readonly keyed?:
    | { readonly rps: number; readonly p50_ms: number; readonly p99_ms: number; readonly api_cpu_us: number; readonly api_cpu_extra: number; readonly cpu: CpuSplit }
    | undefined;
  readonly local?: LocalCopies | undefined;
  readonly settings: GetSettings;
  readonly cpu_us_per_request: GetRun['cpuUsPerRequest'];
}

/** Per variant, the median of each measure over the rounds (each measure on its own). */
export function summarize(rounds: readonly Round[]): Round {
  const of = (variant: Variant): Sample => medianSample(rounds.map((round) => round[variant]));
  return { uncached: of('uncached'), cached: of('cached'), ceiling: of('ceiling') };
}

/** Rounded req/s, the two ratios to two decimals, the latencies, the settings and the CPU split. */
export function buildGetSection(run: GetRun): GetSection {
  const { cached, uncached, ceiling } = run.summary;
  return {
    cached_rps: Math.round(cached.rps),
    uncached_rps: Math.round(uncached.rps),
    ceiling_rps: Math.round(ceiling.rps),
    cached_vs_uncached: round2(cached.rps / uncached.rps),
    cached_vs_ceiling: round2(cached.rps / ceiling.rps),
    cached_p50_ms: cached.p50Ms,
    cached_p99_ms: cached.p99Ms,
    uncached_p50_ms: uncached.p50Ms,
    uncached_p99_ms: uncached.p99Ms,
    ceiling_p50_ms: ceiling.p50Ms,
    ceiling_p99_ms: ceiling.p99Ms,
    ...(run.keyed && {
      keyed: {
        rps: Math.round(run.keyed.summary.rps),
        p50_ms: run.keyed.summary.p50Ms,
        p99_ms: run.keyed.summary.p99Ms,
        api_cpu_us: run.keyed.cpuUsPerRequest.api,
        api_cpu_extra: round2(run.keyed.cpuUsPerRequest.api / run.cpuUsPerRequest.cached.api - 1),
        cpu: run.keyed.cpuUsPerRequest,
      },
    }),
    settings: run.settings,
    ...(run.local && { local: run.local }),
    cpu_us_per_request: run.cpuUsPerRequest,
  };
}

/** `+7 %`, `−3 %`. */
const signedPercent = (ratio: number): string => `${ratio < 0 ? '−' : '+'}${Math.abs(Math.round(ratio * 100))} %`;

function renderVariants(get: GetSection, catalog: { products: number; mode: 'quick' | 'full' }): string {
  const s = get.settings;
  return [
    `### GET /products/:id (${catalog.products} products, ${s.connections} connections, ${s.durationSeconds} s per run, median of ${s.rounds} rounds, ${catalog.mode})`,
    '',
    ...markdownTable('lrrr', ['Variant', 'req/s', 'p50 ms', 'p99 ms'], [
      ['uncached (PostgreSQL)', get.uncached_rps, get.uncached_p50_ms, get.uncached_p99_ms],
      ['cached (Redis)', get.cached_rps, get.cached_p50_ms, get.cached_p99_ms],
      ['ceiling (/healthz)', get.ceiling_rps, get.ceiling_p50_ms, get.ceiling_p99_ms],
      ...(get.keyed ? [['cached, with a user key', get.keyed.rps, get.keyed.p50_ms, get.keyed.p99_ms]] : []),
    ]),
    '',
    `cached / uncached: ${get.cached_vs_uncached}×; cached / ceiling: ${get.cached_vs_ceiling}×`,
    ...(get.keyed
      ? ['', `Key check on the cached GET: API ${get.keyed.api_cpu_us} µs per request, ${signedPercent(get.keyed.api_cpu_extra)} against the anonymous cached GET (target ≤ +10 %).`]
      : []),
    ...(get.local ? ['', localLine(get.local)] : []),
    '',
  ].join('\n');
}

const localLine = (local: LocalCopies): string =>
  `Local copies (CACHE_LOCAL_MAX_BYTES) answered ${local.hits === 0 ? 0 : Math.round((local.local_hits / local.hits) * 100)} % of the cached API's ${local.hits} hits; ` +
  `${local.entries} products held in ${(local.bytes / 1024 / 1024).toFixed(1)} MiB at the end.`;

function renderCpuSplit(split: GetSection['cpu_us_per_request'], keyed: CpuSplit | undefined): string {
  const row = (label: string, cpu: CpuSplit) => [label, cpu.api, cpu.postgres, cpu.redis, cpu.api + cpu.postgres + cpu.redis];
  return [
    'CPU µs per request (median of the rounds; the load generator not counted):',
    '',
    ...markdownTable('lrrrr', ['Variant', 'API', 'PostgreSQL', 'Redis', 'total'], [
      row('uncached', split.uncached),
      row('cached', split.cached),
      row('ceiling', split.ceiling),
      ...(keyed ? [row('cached, with a user key', keyed)] : []),
    ]),
    '',
  ].join('\n');
}

/** The GET section in markdown: its setup, a row per variant, the two ratios, then the CPU split. */
export function renderGetMarkdown(get: GetSection, catalog: { products: number; mode: 'quick' | 'full' }): string {
  return [renderVariants(get, catalog), renderCpuSplit(get.cpu_us_per_request, get.keyed?.cpu)].join('\n');
}
