/** Pure helpers of the benchmark: medians over rounds, the results object and its markdown. */
import type { CpuSplit } from './cpu-split.js';
import type { ImagesResult } from './images-report.js';
import { renderImagesMarkdown } from './images-report.js';
import type { ListResult, OverloadResult, StampedeResult } from './sections-report.js';
import { medianSample, type Sample } from './sample.js';
import { renderListMarkdown, renderOverloadMarkdown, renderStampedeMarkdown } from './sections-report.js';
import { markdownTable, round2 } from './stats.js';

export const VARIANTS = ['uncached', 'cached', 'ceiling'] as const;
export type Variant = (typeof VARIANTS)[number];

/** Every variant measured once, in one round. */
export type Round = Readonly<Record<Variant, Sample>>;

export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly date: string;
  readonly mode: 'quick' | 'full';
  /** Wall time of the whole run. */
  readonly seconds: number;
}

export interface Settings {
  readonly products: number;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly rounds: number;
}

export interface Results {
  readonly machine: Machine;
  readonly settings: Settings;
  readonly get: {
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
  };
}

/** Per variant, the median of each measure over the rounds (each measure on its own). */
export function summarize(rounds: readonly Round[]): Round {
  const of = (variant: Variant): Sample => medianSample(rounds.map((round) => round[variant]));
  return { uncached: of('uncached'), cached: of('cached'), ceiling: of('ceiling') };
}

/** The object written to bench/results/latest.json. */
export function buildResults(summary: Round, machine: Machine, settings: Settings): Results {
  const { cached, uncached, ceiling } = summary;
  return {
    machine,
    settings,
    get: {
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
    },
  };
}

/** The GET section in markdown: the setup, one table row per variant, and the two ratios. */
export function renderMarkdown(results: Results): string {
  const { machine: m, settings: s, get: g } = results;
  return [
    `### GET /products/:id (${s.products} products, ${s.connections} connections, ${s.durationSeconds} s per run, median of ${s.rounds} rounds, ${m.mode})`,
    '',
    ...markdownTable('lrrr', ['Variant', 'req/s', 'p50 ms', 'p99 ms'], [
      ['uncached (PostgreSQL)', g.uncached_rps, g.uncached_p50_ms, g.uncached_p99_ms],
      ['cached (Redis)', g.cached_rps, g.cached_p50_ms, g.cached_p99_ms],
      ['ceiling (/healthz)', g.ceiling_rps, g.ceiling_p50_ms, g.ceiling_p99_ms],
    ]),
    '',
    `cached / uncached: ${g.cached_vs_uncached}×; cached / ceiling: ${g.cached_vs_ceiling}×`,
    '',
  ].join('\n');
}

// ---- The whole run: sections, arguments, the report and its targets ----

export const SECTIONS = ['get', 'list', 'stampede', 'overload', 'worker', 'images'] as const;
export type Section = (typeof SECTIONS)[number];

/** What the GET section hands over: its settings, the medians and every round. */
export interface GetRun {
  readonly settings: Omit<Settings, 'products'>;
  readonly summary: Round;
  readonly rounds: readonly Round[];
  /** Median CPU microseconds per request of the API process, PostgreSQL and Redis, per variant. */
  readonly cpuUsPerRequest: Readonly<Record<Variant, CpuSplit>>;
}

/** API throughput with the image worker busy and alone (medians of the rounds). */
export interface WorkerBusyResult {
  readonly alone: Sample;
  readonly busy: Sample;
  /** busy req/s over alone req/s. */
  readonly ratio: number;
  /** Images the worker finished during each busy run (median): proof it was busy. */
  readonly images_per_busy_run: number;
  readonly rounds: readonly { readonly alone: Sample; readonly busy: Sample }[];
}

export interface SectionResults {
  readonly get: GetRun;
  readonly list: ListResult;
  readonly stampede: StampedeResult;
  readonly overload: OverloadResult;
  readonly worker: WorkerBusyResult;
  readonly images: ImagesResult;
}

/** `--quick`, and `--only a,b` (or `--only=a,b`) to run some sections; throws on anything else. */
export function parseArgs(args: readonly string[]): { mode: 'quick' | 'full'; sections: readonly Section[] } {
  let mode: 'quick' | 'full' = 'full';
  let sections: readonly Section[] = SECTIONS;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (arg === '--quick') mode = 'quick';
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg === '--only' ? args[(i += 1)] : arg.slice('--only='.length);
      const names = (value ?? '').split(',').filter((name) => name !== '');
      const unknown = names.filter((name) => !(SECTIONS as readonly string[]).includes(name));
      if (names.length === 0 || unknown.length > 0) throw new Error(`--only takes sections among ${SECTIONS.join(', ')}; got "${value ?? ''}"`);
      sections = names as Section[];
    } else throw new Error(`unknown argument "${arg}"; use --quick and --only ${SECTIONS.join(',')}`);
  }
  return { mode, sections };
}

/** One target of the issue: the figure, the bound, and whether it was met. */
export interface TargetCheck {
  readonly key: string;
  readonly value: number;
  readonly bound: number;
  readonly direction: 'min' | 'max';
  readonly met: boolean;
}

export interface Report {
  readonly machine: Machine;
  readonly catalog: { readonly products: number; readonly users: number };
  readonly get?: Results['get'] & { readonly settings: GetRun['settings']; readonly cpu_us_per_request: GetRun['cpuUsPerRequest'] };
  readonly list?: ListResult;
  readonly stampede?: StampedeResult;
  readonly overload?: OverloadResult;
  readonly api_with_worker_vs_alone?: number;
  readonly worker?: WorkerBusyResult;
  readonly images?: ImagesResult;
  readonly targets: readonly TargetCheck[];
  readonly raw: { readonly get_rounds?: readonly Round[] };
}

const TARGETS: readonly { key: string; bound: number; direction: 'min' | 'max' }[] = [
  { key: 'get.cached_vs_uncached', bound: 3, direction: 'min' },
  { key: 'get.cached_vs_ceiling', bound: 0.8, direction: 'min' },
  { key: 'list.p99_ms', bound: 20, direction: 'max' },
  { key: 'stampede.db_loads', bound: 1, direction: 'max' },
  { key: 'overload.run3_vs_run1', bound: 0.9, direction: 'min' },
  { key: 'api_with_worker_vs_alone', bound: 0.75, direction: 'min' },
  { key: 'images.pipeline_vs_bare', bound: 0.8, direction: 'min' },
  { key: 'images.bytes_ratio_median', bound: 0.25, direction: 'max' },
  { key: 'images.ssim_min', bound: 0.97, direction: 'min' },
  { key: 'images.peak_rss_mb', bound: 450, direction: 'max' },
];

const lookup = (object: unknown, key: string): unknown =>
  key.split('.').reduce<unknown>((value, part) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined), object);

/** The targets for the figures present (sections not run are left out). */
export function checkTargets(figures: object): TargetCheck[] {
  return TARGETS.flatMap(({ key, bound, direction }) => {
    const value = lookup(figures, key);
    if (typeof value !== 'number') return [];
    return [{ key, value, bound, direction, met: direction === 'min' ? value >= bound : value <= bound }];
  });
}

/** latest.json: the machine, the catalog, each section run, and the targets checked. */
export function assemble(machine: Machine, catalog: Report['catalog'], sections: Partial<SectionResults>): Report {
  const { get, worker, ...rest } = sections;
  const figures = {
    ...(get && {
      get: {
        ...buildResults(get.summary, machine, { products: catalog.products, ...get.settings }).get,
        settings: get.settings,
        cpu_us_per_request: get.cpuUsPerRequest,
      },
    }),
    ...rest,
    ...(worker && { api_with_worker_vs_alone: worker.ratio, worker }),
  };
  return { machine, catalog, ...figures, targets: checkTargets(figures), raw: { ...(get && { get_rounds: get.rounds }) } };
}

function renderWorkerMarkdown(worker: WorkerBusyResult): string {
  const row = (label: string, sample: Sample) => [label, Math.round(sample.rps), sample.p50Ms, sample.p99Ms];
  return [
    `### API while the image worker is busy (cached GET /products/:id, median of ${worker.rounds.length} rounds)`,
    '',
    ...markdownTable('lrrr', ['API', 'req/s', 'p50 ms', 'p99 ms'], [row('alone', worker.alone), row('worker busy', worker.busy)]),
    '',
    `busy / alone: ${worker.ratio}× (the worker finished ${worker.images_per_busy_run} images during each busy run)`,
    '',
  ].join('\n');
}

function renderCpuSplit(split: GetRun['cpuUsPerRequest']): string {
  const row = (label: string, cpu: CpuSplit) => [label, cpu.api, cpu.postgres, cpu.redis, cpu.api + cpu.postgres + cpu.redis];
  return [
    'CPU µs per request (median of the rounds; the load generator not counted):',
    '',
    ...markdownTable('lrrrr', ['Variant', 'API', 'PostgreSQL', 'Redis', 'total'], [
      row('uncached', split.uncached),
      row('cached', split.cached),
      row('ceiling', split.ceiling),
    ]),
    '',
  ].join('\n');
}

function renderTargets(targets: readonly TargetCheck[]): string {
  if (targets.length === 0) return '';
  return [
    '### Targets',
    '',
    ...markdownTable(
      'lrrl',
      ['Figure', 'Value', 'Target', 'Met'],
      targets.map((t) => [t.key, t.value, `${t.direction === 'min' ? '≥' : '≤'} ${t.bound}`, t.met ? 'yes' : '**no**']),
    ),
    '',
  ].join('\n');
}

/** The markdown printed on stdout: the machine, then a table per section run, then the targets. */
export function renderReport(report: Report): string {
  const m = report.machine;
  const parts = [
    `## Benchmark (${m.mode}): ${report.catalog.products} products of ${report.catalog.users} users`,
    '',
    `${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, ${m.date}, ${m.seconds} s in all`,
    '',
  ];
  if (report.get) {
    parts.push(renderMarkdown({ machine: m, settings: { products: report.catalog.products, ...report.get.settings }, get: report.get }));
    parts.push(renderCpuSplit(report.get.cpu_us_per_request));
  }
  if (report.list) parts.push(renderListMarkdown(report.list));
  if (report.stampede) parts.push(renderStampedeMarkdown(report.stampede));
  if (report.overload) parts.push(renderOverloadMarkdown(report.overload));
  if (report.worker) parts.push(renderWorkerMarkdown(report.worker));
  if (report.images) parts.push(renderImagesMarkdown(report.images));
  parts.push(renderTargets(report.targets));
  return parts.join('\n');
}
