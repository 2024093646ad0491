/** The bulk section's figures and their markdown. */
import type { CpuSplit } from './cpu-split.js';
import { markdownTable } from './stats.js';
import { targetText } from './targets.js';

/** One import: its size, rate and where its CPU went. */
export interface BulkSample {
  readonly products: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly cpuUsPerProduct: CpuSplit;
  /** The 1-minute load average when the import started (the machine is shared). */
  readonly loadAverage: number;
}

export interface BulkResult {
  readonly products: number;
  readonly withoutImages: BulkSample;
  readonly withImages: BulkSample;
  /** The target's figure: products/s without images. */
  readonly per_second: number;
}

const row = (label: string, sample: BulkSample) => [
  label,
  Math.round(sample.perSecond),
  sample.seconds.toFixed(1),
  sample.cpuUsPerProduct.api,
  sample.cpuUsPerProduct.postgres,
  sample.loadAverage.toFixed(2),
];

export function renderBulkMarkdown(bulk: BulkResult): string {
  return [
    `### POST /products/bulk: one NDJSON import of ${bulk.products} products, cache on Redis`,
    '',
    ...markdownTable('lrrrrr', ['Items', 'products/s', 's', 'API µs/product', 'PostgreSQL µs/product', 'load average'], [
      row('no images', bulk.withoutImages),
      row('2 image URLs each', bulk.withImages),
    ]),
    '',
    `Target: ${targetText('bulk.per_second')} products/s for 100,000 products without images.`,
    '',
  ].join('\n');
}
