/** The scaling section's figures and markdown: 1 vs 2 API processes, 1 vs 2 workers, with the CPU each used. */
import { markdownTable, round2 } from './stats.js';

/** CPU used during a run, in cores (CPU seconds per wall second), by process or group. */
export type Cores = Readonly<Record<string, number>>;

/** One run of the cached GET against `processes` API processes at once. */
export interface GetScaleRun {
  readonly processes: number;
  readonly rps: number;
  readonly p99Ms: number;
  readonly cores: Cores;
}

/** One run of the image pipeline with `processes` workers. */
export interface ImageScaleRun {
  readonly processes: number;
  readonly images: number;
  readonly seconds: number;
  readonly imagesPerSecond: number;
  readonly cores: Cores;
}

export interface ScalingResult {
  readonly cpus: number;
  /** The 1-minute load average when the section began: above `cpus`, other work shared the cores. */
  readonly loadAverage: number;
  readonly get: { readonly connections: number; readonly durationSeconds: number; readonly one: GetScaleRun; readonly two: GetScaleRun };
  readonly images: { readonly one: ImageScaleRun; readonly two: ImageScaleRun };
  /** Cached GET req/s with 2 API processes over 1. */
  readonly get_ratio: number;
  /** Images/s with 2 workers over 1. */
  readonly images_ratio: number;
  /** Cores the whole machine had busy in the 2-process runs (`machine`): its ceiling shows here. */
  readonly get_two_cores_total: number;
  readonly images_two_cores_total: number;
  readonly notes: readonly string[];
}

const total = (cores: Cores) => round2(cores.machine ?? Object.values(cores).reduce((sum, value) => sum + value, 0));

/** The result from the four runs: ratios, CPU totals and the notes that read them. */
export function buildScalingResult(input: { cpus: number; loadAverage: number; get: ScalingResult['get']; images: ScalingResult['images'] }): ScalingResult {
  const get_ratio = round2(input.get.two.rps / Math.max(1e-9, input.get.one.rps));
  const images_ratio = round2(input.images.two.imagesPerSecond / Math.max(1e-9, input.images.one.imagesPerSecond));
  const get_two_cores_total = total(input.get.two.cores);
  const images_two_cores_total = total(input.images.two.cores);
  const notes = [
    `The load generator (autocannon) and the image origin + S3 server run in the bench process, on the same ${input.cpus} cores: their CPU is the \`bench\` column.`,
    '`postgres`, `redis` and `rabbitmq` count every process of that name on the machine; `machine` is all of its busy CPU.',
  ];
  if (input.loadAverage > input.cpus) {
    notes.push(`Load average ${round2(input.loadAverage)} on ${input.cpus} cores at the start: other work shared the machine, so the ratios show the share the service got more than its capacity.`);
  }
  for (const [what, cores] of [['2 APIs', get_two_cores_total], ['2 workers', images_two_cores_total]] as const) {
    if (cores >= input.cpus * 0.85) notes.push(`${what}: ${cores} of ${input.cpus} cores busy, so the machine, not the service, is the limit of that run.`);
  }
  return { ...input, get_ratio, images_ratio, get_two_cores_total, images_two_cores_total, notes };
}

const coreCells = (cores: Cores, columns: readonly string[]) => columns.map((column) => (cores[column] === undefined ? '' : round2(cores[column])));

/** Two tables (cached GET, images) with a row per process count, then the ratios and notes. */
export function renderScalingMarkdown(result: ScalingResult): string {
  const getColumns = [...new Set([...Object.keys(result.get.one.cores), ...Object.keys(result.get.two.cores)])];
  const imageColumns = [...new Set([...Object.keys(result.images.one.cores), ...Object.keys(result.images.two.cores)])];
  return [
    `### Scaling out on ${result.cpus} cores`,
    '',
    `Cached GET /products/:id, ${result.get.connections} connections in all, ${result.get.durationSeconds} s; CPU in cores (CPU s per wall s):`,
    '',
    ...markdownTable(
      `lrr${'r'.repeat(getColumns.length)}`,
      ['API processes', 'req/s', 'p99 ms', ...getColumns],
      [result.get.one, result.get.two].map((run) => [run.processes, Math.round(run.rps), run.p99Ms, ...coreCells(run.cores, getColumns)]),
    ),
    '',
    `Image pipeline, ${result.images.one.images} photos per run:`,
    '',
    ...markdownTable(
      `lrr${'r'.repeat(imageColumns.length)}`,
      ['workers', 'images/s', 'seconds', ...imageColumns],
      [result.images.one, result.images.two].map((run) => [run.processes, round2(run.imagesPerSecond), round2(run.seconds), ...coreCells(run.cores, imageColumns)]),
    ),
    '',
    `2 APIs / 1: ${result.get_ratio}× (${result.get_two_cores_total} cores busy); 2 workers / 1: ${result.images_ratio}× (${result.images_two_cores_total} cores busy).`,
    '',
    ...result.notes.map((note) => `- ${note}`),
    '',
  ].join('\n');
}
