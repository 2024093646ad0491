/** Pure helpers of the worker section: the cached GET alone and with the image worker busy. */
import type { Sample } from './sample.js';
import { markdownTable } from './stats.js';

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

/** The worker section in markdown: a row for alone and one for busy, then the ratio. */
export function renderWorkerMarkdown(worker: WorkerBusyResult): string {
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
