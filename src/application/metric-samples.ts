import type { MetricSample } from './ports/metrics.js';

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

/** The Prometheus text exposition (format 0.0.4) of `samples`. */
export const sampleExposition = (samples: readonly MetricSample[]): string =>
  samples.map(({ name, help, type, value }) => `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${name} ${value}\n`).join('');
