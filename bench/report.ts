/** The whole run: its sections and arguments, latest.json with the targets checked, and its markdown. */
import { renderBulkMarkdown, type BulkResult } from './bulk-report.js';
import { renderEventsMarkdown, type EventsResult } from './events-report.js';
import { buildGetSection, renderGetMarkdown, type GetRun, type GetSection } from './get-report.js';
import { renderHostileMarkdown, type HostileResult } from './hostile-report.js';
import type { ImagesResult } from './images-report.js';
import { renderImagesMarkdown } from './images-report.js';
import { renderQualityMarkdown, type QualityResult } from './quality-report.js';
import type { ListResult, OverloadResult, StampedeResult } from './sections-report.js';
import { renderListMarkdown, renderOverloadMarkdown, renderStampedeMarkdown } from './sections-report.js';
import { markdownTable } from './stats.js';
import { checkTargets, targetText, type TargetCheck } from './targets.js';
import { renderWorkerMarkdown, type WorkerBusyResult } from './worker-report.js';
import { renderScalingMarkdown, type ScalingResult } from './scaling-report.js';

/** Where and how the whole run ran: the machine, the Node version, the date and the mode. */
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

/** Every section, in the order a run takes them. */
export const SECTIONS = ['get', 'list', 'stampede', 'overload', 'worker', 'images', 'quality', 'hostile', 'scaling', 'bulk', 'events'] as const;
export type Section = (typeof SECTIONS)[number];

/** What each section hands over, by section name; a run holds those it ran. */
export interface SectionResults {
  readonly get: GetRun;
  readonly list: ListResult;
  readonly stampede: StampedeResult;
  readonly overload: OverloadResult;
  readonly worker: WorkerBusyResult;
  readonly images: ImagesResult;
  readonly quality: QualityResult;
  readonly hostile: HostileResult;
  readonly scaling: ScalingResult;
  readonly bulk: BulkResult;
  readonly events: EventsResult;
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

/** bench/results/latest.json: the whole run, with a key per section run. */
export interface Report {
  readonly machine: Machine;
  readonly catalog: { readonly products: number; readonly users: number };
  readonly get?: GetSection;
  readonly list?: ListResult;
  readonly stampede?: StampedeResult;
  readonly overload?: OverloadResult;
  readonly api_with_worker_vs_alone?: number;
  readonly worker?: WorkerBusyResult;
  readonly images?: ImagesResult;
  readonly quality?: QualityResult;
  readonly hostile?: HostileResult;
  readonly scaling?: ScalingResult;
  readonly bulk?: BulkResult;
  readonly events?: EventsResult;
  readonly targets: readonly TargetCheck[];
  readonly raw: { readonly get_rounds?: GetRun['rounds'] };
}

/** latest.json: the machine, the catalog, each section run, and the targets checked. */
export function assemble(machine: Machine, catalog: Report['catalog'], sections: Partial<SectionResults>): Report {
  const { get, worker, ...rest } = sections;
  const figures = {
    ...(get && { get: buildGetSection(get) }),
    ...rest,
    ...(worker && { api_with_worker_vs_alone: worker.ratio, worker }),
  };
  return { machine, catalog, ...figures, targets: checkTargets(figures), raw: { ...(get && { get_rounds: get.rounds }) } };
}

function renderTargets(targets: readonly TargetCheck[]): string {
  if (targets.length === 0) return '';
  return [
    '### Targets',
    '',
    ...markdownTable(
      'lrrl',
      ['Figure', 'Value', 'Target', 'Met'],
      targets.map((t) => [t.key, t.value, targetText(t.key), t.met ? 'yes' : '**no**']),
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
  if (report.get) parts.push(renderGetMarkdown(report.get, { products: report.catalog.products, mode: m.mode }));
  if (report.list) parts.push(renderListMarkdown(report.list));
  if (report.stampede) parts.push(renderStampedeMarkdown(report.stampede));
  if (report.overload) parts.push(renderOverloadMarkdown(report.overload));
  if (report.worker) parts.push(renderWorkerMarkdown(report.worker));
  if (report.images) parts.push(renderImagesMarkdown(report.images));
  if (report.quality) parts.push(renderQualityMarkdown(report.quality));
  if (report.hostile) parts.push(renderHostileMarkdown(report.hostile));
  if (report.scaling) parts.push(renderScalingMarkdown(report.scaling));
  if (report.bulk) parts.push(renderBulkMarkdown(report.bulk));
  if (report.events) parts.push(renderEventsMarkdown(report.events));
  parts.push(renderTargets(report.targets));
  return parts.join('\n');
}
