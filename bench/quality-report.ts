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

/** One rendition's quality search (SharpImageCompressor's onSearch). */
export interface SearchCost {
  readonly width: number;
  readonly format: string;
  readonly quality: number;
  readonly encodes: number;
  readonly probes: readonly { readonly quality: number; readonly score: number }[];
  /** CPU seconds encoding, and scoring (decoding the output, its luma, the SSIM). */
  readonly encode_s: number;
  readonly score_s: number;
}

/** Every rendition of the photos in one mode, and the CPU the compressions took. */
export interface QualityMode {
  readonly cpu_s: number;
  readonly renditions: readonly RenditionQuality[];
  /** The searches of the targeted mode, one per rendition searched (kept or dropped). */
  readonly searches?: readonly SearchCost[];
}

/** What the search cost, over every rendition searched. */
export interface SearchSummary {
  readonly renditions: number;
  readonly encodes_per_rendition: number;
  /** Renditions settled by their first probe. */
  readonly one_probe_share: number;
  /** CPU seconds encoding and scoring, over the targeted mode's whole CPU. */
  readonly encode_share: number;
  readonly score_share: number;
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
  /**
   * Targeted bytes over fixed bytes on the renditions both modes kept: a width whose search rose
   * so far that it was no smaller than the next larger is left out (served by that larger one),
   * which bytes_ratio counts as a saving.
   */
  readonly common_bytes_ratio: number;
  /** Renditions the fixed mode kept and the targeted one left out. */
  readonly dropped: number;
  readonly search?: SearchSummary;
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

const keyOf = (rendition: RenditionQuality) => `${rendition.file} ${rendition.format} ${rendition.width}`;

function summarize(searches: readonly SearchCost[], cpu_s: number): SearchSummary {
  const sum = (pick: (search: SearchCost) => number) => searches.reduce((total, search) => total + pick(search), 0);
  return {
    renditions: searches.length,
    encodes_per_rendition: sum((search) => search.encodes) / searches.length,
    one_probe_share: searches.filter((search) => search.probes.length === 1).length / searches.length,
    encode_share: sum((search) => search.encode_s) / cpu_s,
    score_share: sum((search) => search.score_s) / cpu_s,
  };
}

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
  const targetedKeys = new Set(run.targeted.renditions.map(keyOf));
  const common = run.fixed.renditions.filter((rendition) => targetedKeys.has(keyOf(rendition)));
  const commonKeys = new Set(common.map(keyOf));
  const commonBytes = (renditions: readonly RenditionQuality[]) =>
    renditions.filter((rendition) => commonKeys.has(keyOf(rendition))).reduce((sum, rendition) => sum + rendition.bytes, 0);
  const searches = run.targeted.searches ?? [];
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
    common_bytes_ratio: commonBytes(run.targeted.renditions) / commonBytes(run.fixed.renditions),
    dropped: run.fixed.renditions.length - common.length,
    ...(searches.length > 0 && { search: summarize(searches, run.targeted.cpu_s) }),
    rows,
  };
}

const round4 = (value: number) => Math.round(value * 10_000) / 10_000;

const percent = (share: number) => `${Math.round(share * 100)} %`;

const searchText = (search: SearchSummary) =>
  `The search: ${round2(search.encodes_per_rendition)} encodes per rendition over ${search.renditions} searched, ${percent(search.one_probe_share)} settled by the first probe; encoding took ${percent(search.encode_share)} of the targeted CPU, scoring (decoding the output, its luma, the SSIM) ${percent(search.score_share)}, the rest is decoding the source, resizing and the placeholder.`;

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
    `On the renditions both modes kept: bytes ${round2(result.common_bytes_ratio)}× (${result.dropped} left out by the target, each no smaller than the next larger rendition, which serves its width).`,
    ...(result.search ? [searchText(result.search)] : []),
    `The judge is ssim.js on RGB at full resolution against the source resized in one step, so the lowest figure of both modes includes the resampling difference of the pipeline's two steps (decode fitted to 1600 px, then each width); the search itself scores luma against the pipeline's own resize. Bound: ${TARGETS['quality.cpu_ratio'].bound}.`,
    '',
  ].join('\n');
}
