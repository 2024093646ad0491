/** Pure helpers of the quality section (fixed quality 82 against a target SSIM): its result and its markdown. */
import { markdownTable, round2 } from './stats.js';
import { TARGETS, targetText } from './targets.js';

/** One rendition as the judge saw it. */
export interface RenditionQuality {
  readonly file: string;
  readonly width: number;
  readonly format: string;
  readonly bytes: number;
  readonly ssim: number;
}

/** Every rendition of the photos in one mode, and the CPU the compressions took. */
export interface QualityMode {
  readonly cpu_s: number;
  readonly renditions: readonly RenditionQuality[];
}

export interface QualityRun {
  readonly target: number;
  readonly fixed: QualityMode;
  readonly targeted: QualityMode;
}

/** Per rendition width and format: bytes and the lowest SSIM of each mode. */
export interface QualityRow {
  readonly width: number;
  readonly format: string;
  readonly fixed_bytes: number;
  readonly targeted_bytes: number;
  readonly fixed_ssim_min: number;
  readonly targeted_ssim_min: number;
}

export interface QualityResult {
  readonly target: number;
  readonly photos: number;
  /** Targeted bytes over fixed bytes, every rendition of every photo. */
  readonly bytes_ratio: number;
  /** Lowest SSIM of any targeted rendition minus the lowest of any fixed one (≥ 0: the same or better). */
  readonly ssim_min_gain: number;
  readonly fixed_ssim_min: number;
  readonly targeted_ssim_min: number;
  /** CPU of compressing every rendition with the search over without it. */
  readonly cpu_ratio: number;
  readonly rows: readonly QualityRow[];
}

const total = (mode: QualityMode) => mode.renditions.reduce((sum, rendition) => sum + rendition.bytes, 0);
const lowest = (renditions: readonly RenditionQuality[]) => Math.min(...renditions.map((rendition) => rendition.ssim));

/**
 * Widths are bucketed by the default rendition widths a rendition was made for: a photo narrower
 * than 1600 px has its largest at its own width, reported under the next default width up.
 */
const BUCKETS = [320, 640, 1024, 1600] as const;
const bucketOf = (width: number) => BUCKETS.find((bucket) => width <= bucket) ?? BUCKETS.at(-1)!;

export function buildQualityResult(run: QualityRun): QualityResult {
  const rows: QualityRow[] = [];
  const keys = [...new Set(run.fixed.renditions.map((rendition) => `${rendition.format} ${bucketOf(rendition.width)}`))];
  for (const key of keys) {
    const inRow = (mode: QualityMode) => mode.renditions.filter((rendition) => `${rendition.format} ${bucketOf(rendition.width)}` === key);
    const [format, width] = key.split(' ') as [string, string];
    const fixed = inRow(run.fixed);
    const targeted = inRow(run.targeted);
    rows.push({
      width: Number(width),
      format,
      fixed_bytes: fixed.reduce((sum, rendition) => sum + rendition.bytes, 0),
      targeted_bytes: targeted.reduce((sum, rendition) => sum + rendition.bytes, 0),
      fixed_ssim_min: lowest(fixed),
      targeted_ssim_min: targeted.length > 0 ? lowest(targeted) : Number.NaN,
    });
  }
  rows.sort((a, b) => a.format.localeCompare(b.format) || a.width - b.width);
  const fixedMin = lowest(run.fixed.renditions);
  const targetedMin = lowest(run.targeted.renditions);
  return {
    target: run.target,
    photos: new Set(run.fixed.renditions.map((rendition) => rendition.file)).size,
    bytes_ratio: total(run.targeted) / total(run.fixed),
    ssim_min_gain: targetedMin - fixedMin,
    fixed_ssim_min: fixedMin,
    targeted_ssim_min: targetedMin,
    cpu_ratio: run.targeted.cpu_s / run.fixed.cpu_s,
    rows,
  };
}

const round4 = (value: number) => Math.round(value * 10_000) / 10_000;

export function renderQualityMarkdown(result: QualityResult): string {
  return [
    `### Quality targeting: fixed quality 82 against IMAGE_TARGET_SSIM=${result.target}, ${result.photos} photos`,
    '',
    ...markdownTable(
      'lrrrrr',
      ['Rendition', 'Bytes at 82', `Bytes at ${result.target}`, 'Ratio', 'Lowest SSIM at 82', `Lowest SSIM at ${result.target}`],
      result.rows.map((row) => [
        `${row.format} ≤ ${row.width}`,
        row.fixed_bytes,
        row.targeted_bytes,
        round2(row.targeted_bytes / row.fixed_bytes),
        round4(row.fixed_ssim_min),
        round4(row.targeted_ssim_min),
      ]),
    ),
    '',
    `All renditions: bytes ${round2(result.bytes_ratio)}× (target ${targetText('quality.bytes_ratio')}), lowest SSIM ${round4(result.fixed_ssim_min)} → ${round4(result.targeted_ssim_min)} (gain target ${targetText('quality.ssim_min_gain')}), CPU ${round2(result.cpu_ratio)}× (target ${targetText('quality.cpu_ratio')}).`,
    `The judge is ssim.js on RGB at full resolution against the source resized in one step, so the lowest figure of both modes includes the resampling difference of the pipeline's two steps (decode fitted to 1600 px, then each width); the search itself scores luma against the pipeline's own resize. Bound: ${TARGETS['quality.cpu_ratio'].bound}.`,
    '',
  ].join('\n');
}
