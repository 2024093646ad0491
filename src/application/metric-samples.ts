import type { MetricSample, MetricsSource } from './ports/metrics.js';

/** One figure: name (without the prefix and, for counters, the `_total`), help text, value. */
export type Figure = readonly [name: string, help: string, value: number];

/**
 * Samples named `<prefix>_<name>_total` for counters and `<prefix>_<name>` for gauges, so every
 * adapter names its figures the same way.
 */
export const metricSamples = (prefix: string, counters: readonly Figure[], gauges: readonly Figure[] = []): MetricSample[] => [
  ...counters.map(([name, help, value]): MetricSample => ({ name: `${prefix}_${name}_total`, help, type: 'counter', value })),
  ...gauges.map(([name, help, value]): MetricSample => ({ name: `${prefix}_${name}`, help, type: 'gauge', value })),
];

/** The counters every cache adapter keeps, as figures. */
export const cacheFigures = (stats: { hits: number; misses: number; sets: number; refusedSets: number; invalidations: number }): Figure[] => [
  ['hits', 'Cache reads answered with an entry.', stats.hits],
  ['misses', 'Cache reads without a usable entry (a failing cache included).', stats.misses],
  ['sets', 'Entries stored.', stats.sets],
  ['refused_sets', 'Stores refused because a newer entry or mark was there.', stats.refusedSets],
  ['invalidations', 'Keys marked changed.', stats.invalidations],
];

const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labelText = (labels: MetricSample['labels']) => {
  const pairs = Object.entries(labels ?? {});
  return pairs.length === 0 ? '' : `{${pairs.map(([name, value]) => `${name}="${escapeLabel(value)}"`).join(',')}}`;
};

/** The Prometheus text exposition (format 0.0.4) of `samples`: one HELP and TYPE per name, its series after them. */
export function sampleExposition(samples: readonly MetricSample[]): string {
  const byName = new Map<string, MetricSample[]>();
  for (const sample of samples) byName.set(sample.name, [...(byName.get(sample.name) ?? []), sample]);
  return [...byName.values()]
    .map((series) => {
      const { name, help, type } = series[0]!;
      return `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${series.map((sample) => `${name}${labelText(sample.labels)} ${sample.value}\n`).join('')}`;
    })
    .join('');
}

/** The product reader's hits, misses and loads as a source (GET /products/:id through the cache). */
export const productReaderMetrics = (reader: { stats(): { hits: number; misses: number; loads: number } }): MetricsSource => ({
  metrics: () => {
    const stats = reader.stats();
    return metricSamples('product_cache', [
      ['hits', 'GET /products/:id answered from the cache.', stats.hits],
      ['misses', 'GET /products/:id not in the cache.', stats.misses],
      ['loads', 'Database loads after misses (concurrent misses of one id share one).', stats.loads],
    ]);
  },
});

/** What `task_queue_messages` and `task_queue_consumers` report for one kind of queue. */
export interface QueueFigures {
  readonly queue: 'work' | 'retry' | 'dead';
  readonly messages: number;
  readonly consumers: number;
}

/** A queue's figures as samples, under the same names for the broker's queues and the in-process one. */
export const queueSamples = (figures: readonly QueueFigures[]): MetricSample[] => [
  ...figures.map(({ queue, messages }): MetricSample => ({
    name: 'task_queue_messages',
    help: 'Tasks waiting in the queue: work (ready), retry (waiting out a retry delay), dead (dead letters).',
    type: 'gauge',
    value: messages,
    labels: { queue },
  })),
  ...figures.map(({ queue, consumers }): MetricSample => ({
    name: 'task_queue_consumers',
    help: 'Consumers subscribed to the queue (workers on the work queue).',
    type: 'gauge',
    value: consumers,
    labels: { queue },
  })),
];
