/** Pure helpers of the image section: the result object from raw measurements, and its markdown. */
import { markdownTable, median, round2, round3, round4 } from './stats.js';
import { meetsTarget, targetText } from './targets.js';

export const IMAGE_FORMATS = ['webp', 'avif', 'jpeg'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

/** One timed run over `images` compressions: wall seconds, CPU seconds of the process, its peak RSS. */
export interface RunMeasurement {
  readonly images: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  /**
   * The pipeline only: CPU seconds the run cost outside the worker, on the same cores (the bench
   * process serving the origin and s3rver, PostgreSQL, RabbitMQ).
   */
  readonly otherCpuSeconds?: { readonly benchProcess: number; readonly postgres: number; readonly rabbitmq: number };
}

/** One photo compressed to one format, and the SSIM of the output against the resized source. */
export interface FileQuality {
  readonly file: string;
  readonly sourceBytes: number;
  readonly outputBytes: number;
  readonly ssim: number;
}

export interface ImagesMeasurements {
  /** Jobs in flight, in the worker and in the bare loop alike. */
  readonly concurrency: number;
  readonly bare: RunMeasurement;
  /** Bare sharp again, making only today's single 1600-px WebP of each photo: the CPU baseline of the rendition set. */
  readonly single: RunMeasurement;
  readonly pipeline: RunMeasurement;
  /** Seconds from the POST (the product's creation) to its 4 MP JPEG's renditions committed, one sample per product, on an idle pipeline. */
  readonly firstRenditionSeconds: readonly number[];
  /** Per format; null when the mode skipped it. */
  readonly quality: Readonly<Record<ImageFormat, readonly FileQuality[] | null>>;
  /** How SSIM was computed, and anything the mode left out, for the reader of the report. */
  readonly notes: readonly string[];
}

export interface RunSummary {
  readonly seconds: number;
  readonly images_per_s: number;
  readonly cpu_s_per_image: number;
  readonly peak_rss_mb: number;
  /** The pipeline only: CPU per image spent outside the worker (see RunMeasurement). */
  readonly other_cpu_s_per_image?: { readonly bench_process: number; readonly postgres: number; readonly rabbitmq: number };
}

export interface FormatSummary {
  readonly images: number;
  readonly bytes_ratio_median: number;
  readonly ssim_median: number;
  readonly ssim_min: number;
  readonly ssim_min_file: string;
  readonly files: readonly { readonly file: string; readonly bytes_ratio: number; readonly ssim: number }[];
}

export interface ImagesResult {
  /** Images compressed in each of the bare and the pipeline runs. */
  readonly images: number;
  readonly concurrency: number;
  readonly bare: RunSummary;
  readonly single: RunSummary;
  readonly pipeline: RunSummary;
  /** Pipeline images/s over bare images/s. */
  readonly pipeline_vs_bare: number;
  /** CPU-s per source of the whole rendition set over that of the single 1600-px WebP (bare sharp both). */
  readonly renditions_cpu_vs_single: number;
  /** Median seconds from POST to the first rendition visible, 4 MP JPEG, idle pipeline. */
  readonly first_rendition_p50_s: number;
  readonly first_rendition_samples: number;
  /** WebP (the default format). */
  readonly bytes_ratio_median: number;
  /** WebP (the default format). */
  readonly ssim_min: number;
  /** The worker's peak RSS. */
  readonly peak_rss_mb: number;
  readonly formats: Readonly<Record<ImageFormat, FormatSummary | null>>;
  /** The targets of bench/targets.ts, judged on unrounded values. */
  readonly meets: {
    readonly pipeline_vs_bare: boolean;
    readonly renditions_cpu_vs_single: boolean;
    readonly first_rendition_p50_s: boolean;
    readonly bytes_ratio_median: boolean;
    readonly ssim_min: boolean;
    readonly peak_rss_mb: boolean;
  };
  readonly notes: readonly string[];
}

// SSIM is shown to four decimals: at three, a lowest SSIM just under its target would round up to it
// and read as a pass.

function summarizeRun(run: RunMeasurement): RunSummary {
  if (run.images <= 0 || run.seconds <= 0) throw new Error(`a run needs images and time, got ${run.images} in ${run.seconds} s`);
  const other = run.otherCpuSeconds;
  const perImage = (seconds: number) => round3(seconds / run.images);
  return {
    seconds: round2(run.seconds),
    images_per_s: round2(run.images / run.seconds),
    cpu_s_per_image: perImage(run.cpuSeconds),
    peak_rss_mb: Math.round(run.peakRssMb),
    ...(other && {
      other_cpu_s_per_image: { bench_process: perImage(other.benchProcess), postgres: perImage(other.postgres), rabbitmq: perImage(other.rabbitmq) },
    }),
  };
}

/** Medians and the lowest SSIM (with its file) over one format's photos; throws on none. */
export function summarizeFormat(files: readonly FileQuality[]): FormatSummary {
  if (files.length === 0) throw new Error('no photos measured');
  const worst = files.reduce((low, file) => (file.ssim < low.ssim ? file : low));
  return {
    images: files.length,
    bytes_ratio_median: round3(median(files.map((file) => file.outputBytes / file.sourceBytes))),
    ssim_median: round4(median(files.map((file) => file.ssim))),
    ssim_min: round4(worst.ssim),
    ssim_min_file: worst.file,
    files: files.map((file) => ({ file: file.file, bytes_ratio: round3(file.outputBytes / file.sourceBytes), ssim: round4(file.ssim) })),
  };
}

/** The `images` object of bench/results/latest.json; the top-level compression keys are WebP's. */
export function buildImagesResult(raw: ImagesMeasurements): ImagesResult {
  if (raw.bare.images !== raw.pipeline.images) {
    throw new Error(`bare sharp ran ${raw.bare.images} images and the pipeline ${raw.pipeline.images}: not comparable`);
  }
  const webpFiles = raw.quality.webp;
  if (webpFiles === null) throw new Error('WebP, the default format, is always measured');
  const formatOf = (format: ImageFormat) => {
    const files = raw.quality[format];
    return files === null ? null : summarizeFormat(files);
  };
  const webp = summarizeFormat(webpFiles);
  const ratio = raw.pipeline.images / raw.pipeline.seconds / (raw.bare.images / raw.bare.seconds);
  const bytesRatio = median(webpFiles.map((file) => file.outputBytes / file.sourceBytes));
  const ssimMin = Math.min(...webpFiles.map((file) => file.ssim));
  if (raw.firstRenditionSeconds.length === 0) throw new Error('no time to the first rendition measured');
  const cpuRatio = raw.bare.cpuSeconds / raw.bare.images / (raw.single.cpuSeconds / raw.single.images);
  const firstP50 = median(raw.firstRenditionSeconds);
  return {
    images: raw.pipeline.images,
    concurrency: raw.concurrency,
    bare: summarizeRun(raw.bare),
    single: summarizeRun(raw.single),
    pipeline: summarizeRun(raw.pipeline),
    pipeline_vs_bare: round3(ratio), // three decimals: the table of targets judges the shown value
    renditions_cpu_vs_single: round3(cpuRatio),
    first_rendition_p50_s: round3(firstP50),
    first_rendition_samples: raw.firstRenditionSeconds.length,
    bytes_ratio_median: webp.bytes_ratio_median,
    ssim_min: webp.ssim_min,
    peak_rss_mb: Math.round(raw.pipeline.peakRssMb),
    formats: { webp, avif: formatOf('avif'), jpeg: formatOf('jpeg') },
    meets: {
      pipeline_vs_bare: meetsTarget('images.pipeline_vs_bare', ratio),
      renditions_cpu_vs_single: meetsTarget('images.renditions_cpu_vs_single', cpuRatio),
      first_rendition_p50_s: meetsTarget('images.first_rendition_p50_s', firstP50),
      bytes_ratio_median: meetsTarget('images.bytes_ratio_median', bytesRatio),
      ssim_min: meetsTarget('images.ssim_min', ssimMin),
      peak_rss_mb: meetsTarget('images.peak_rss_mb', raw.pipeline.peakRssMb),
    },
    notes: raw.notes,
  };
}

const mark = (met: boolean) => (met ? 'met' : '**missed**');
const FORMAT_LABELS: Record<ImageFormat, string> = { webp: 'WebP (default)', avif: 'AVIF', jpeg: 'JPEG (mozjpeg)' };

/** Markdown: bare sharp against the pipeline, compression per format, the targets and the notes. */
export function renderImagesMarkdown(result: ImagesResult): string {
  const run = (label: string, r: RunSummary) =>
    [label, result.images, r.seconds, r.images_per_s, r.cpu_s_per_image, r.peak_rss_mb];
  const format = (name: ImageFormat) => {
    const f = result.formats[name];
    if (f === null) return [FORMAT_LABELS[name], 'not measured', '', '', ''];
    return [FORMAT_LABELS[name], f.bytes_ratio_median, f.ssim_median, `${f.ssim_min} (${f.ssim_min_file})`, f.images];
  };
  const { meets: m } = result;
  const other = result.pipeline.other_cpu_s_per_image;
  const otherLine = other
    ? [
        `Outside the worker, the pipeline cost per image: ${other.bench_process} CPU-s in the bench process (origin and s3rver), ` +
          `${other.postgres} in PostgreSQL, ${other.rabbitmq} in RabbitMQ, on the same cores.`,
        '',
      ]
    : [];
  return [
    `### Images (${result.images} compressions per run, ${result.concurrency} in flight)`,
    '',
    ...markdownTable('lrrrrr', ['Run', 'images', 's', 'images/s', 'CPU-s/image', 'peak RSS MB'], [
      run('bare sharp', result.bare),
      run('bare sharp, one 1600-px WebP', result.single),
      run('pipeline (worker)', result.pipeline),
    ]),
    '',
    ...otherLine,
    ...markdownTable('lrrlr', ['Format', 'median size ratio', 'median SSIM', 'lowest SSIM', 'photos'], IMAGE_FORMATS.map(format)),
    '',
    `pipeline / bare: ${result.pipeline_vs_bare}× (target ${targetText('images.pipeline_vs_bare')}: ${mark(m.pipeline_vs_bare)}); ` +
      `renditions' CPU / one 1600-px WebP: ${result.renditions_cpu_vs_single}× (${targetText('images.renditions_cpu_vs_single')}: ${mark(m.renditions_cpu_vs_single)}); ` +
      `POST to first rendition, 4 MP JPEG, idle: p50 ${result.first_rendition_p50_s} s over ${result.first_rendition_samples} (${targetText('images.first_rendition_p50_s')}: ${mark(m.first_rendition_p50_s)}); ` +
      `WebP median size ratio ${result.bytes_ratio_median} (${targetText('images.bytes_ratio_median')}: ${mark(m.bytes_ratio_median)}); ` +
      `WebP lowest SSIM ${result.ssim_min} (${targetText('images.ssim_min')}: ${mark(m.ssim_min)}); ` +
      `worker peak RSS ${result.peak_rss_mb} MB (${targetText('images.peak_rss_mb')}: ${mark(m.peak_rss_mb)})`,
    ...(result.notes.length > 0 ? ['', ...result.notes.map((note) => `- ${note}`)] : []),
    '',
  ].join('\n');
}
