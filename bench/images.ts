/**
 * The image section of `npm run bench`: (a) the project's compressor in a tight loop in a child
 * process, (b) the worker pipeline end to end over the same number of photos, and compression
 * (size ratio, full-resolution SSIM) per output format.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/main/config.js';
import { photoNames, testImagesDir } from '../test/support/testdata.js';
import { runChildScript } from './child-script.js';
import type { BenchContext, Mode } from './context.js';
import type { ImagePipeline } from './image-pipeline.js';
import { buildImagesResult, IMAGE_FORMATS, type FileQuality, type ImageFormat, type ImagesResult, type RunMeasurement } from './images-report.js';
import { cpuSecondsOf } from './cpu-split.js';
import { cpuSeconds, peakRssMb } from './proc-stats.js';

export { startImagePipeline, type ImageCounts, type ImagePipeline } from './image-pipeline.js';
export type { ImagesResult } from './images-report.js';

// The worker's WORKER_CONCURRENCY default; the bare loop runs as many at once.
const CONCURRENCY = 2;
// The 4 MP JPEG (2560 × 1600) for the time from POST to the first rendition, and how often.
const FIRST_RENDITION_PHOTO = 'ladybird.jpg';
const FIRST_RENDITION_SAMPLES: Record<Mode, number> = { quick: 5, full: 11 };
// Quality children at once: SSIM (ssim.js, single-threaded JavaScript) is most of their time.
const QUALITY_SHARDS = 2;

// Each product carries every photo, so images = products × photos.
const SETTINGS: Record<Mode, { readonly products: number; readonly formats: readonly ImageFormat[] }> = {
  quick: { products: 2, formats: ['webp'] },
  full: { products: 20, formats: IMAGE_FORMATS },
};

/** Runs the section; throws when any photo fails in the pipeline. */
/** `startPipeline` may hand over a pipeline another section used; it must be idle, and is left running. */
export async function runImages(ctx: BenchContext, startPipeline: () => Promise<ImagePipeline>): Promise<ImagesResult> {
  const settings = SETTINGS[ctx.mode];
  const photos = photoNames();
  const images = settings.products * photos.length;

  ctx.log(`images: pipeline, ${images} photos through the worker`);
  const started = await startPipeline();
  const pipeline = await measurePipeline(started, settings.products);
  ctx.log(`images: pipeline ${(pipeline.images / pipeline.seconds).toFixed(2)} images/s`);

  // One at a time on the idle pipeline: each sample is the latency a lone seller sees.
  const firstRenditionSeconds: number[] = [];
  for (let i = 0; i < FIRST_RENDITION_SAMPLES[ctx.mode]; i += 1) firstRenditionSeconds.push(await started.timeToDone(FIRST_RENDITION_PHOTO));
  ctx.log(`images: POST to first rendition ${firstRenditionSeconds.map((s) => s.toFixed(2)).join(', ')} s`);

  // At the worker's priority: on a machine shared with other work, a niced worker gets less CPU than a bare loop at 0 would.
  const bareArgs = ['--images', String(images), '--concurrency', String(CONCURRENCY), '--nice', String(loadConfig({}).WORKER_NICE)];
  const bare = (await runChildScript(ctx, 'bare-sharp.ts', bareArgs)) as RunMeasurement;
  ctx.log(`images: bare sharp ${(bare.images / bare.seconds).toFixed(2)} images/s`);
  const single = (await runChildScript(ctx, 'bare-sharp.ts', [...bareArgs, '--single'])) as RunMeasurement;
  ctx.log(`images: bare sharp, one 1600-px WebP, ${(single.cpuSeconds / single.images).toFixed(3)} CPU-s/image`);

  const quality: Record<ImageFormat, FileQuality[] | null> = { webp: null, avif: null, jpeg: null };
  for (const format of settings.formats) {
    quality[format] = await measureQuality(ctx, format, photos);
    ctx.log(`images: ${format} compression measured`);
  }
  const notes = ['SSIM: ssim.js "fast" at full resolution on luma, transparency flattened onto white.'];
  if (ctx.mode === 'quick') notes.push('Quick mode: AVIF and JPEG compression are measured in the full run only (SSIM costs ~2 s per photo).');
  return buildImagesResult({ concurrency: CONCURRENCY, bare, single, pipeline, firstRenditionSeconds, quality, notes });
}

/** Wall time from the first product created to the last image settled; the worker's CPU and peak RSS. */
async function measurePipeline(pipeline: ImagePipeline, products: number): Promise<RunMeasurement> {
  // The bench process serves the origin and s3rver; RabbitMQ runs as beam.smp.
  const others = async () => ({
    benchProcess: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    postgres: await cpuSecondsOf('postgres'),
    rabbitmq: await cpuSecondsOf('beam.smp'),
  });
  // Counts are the pipeline's since it started: another section may have used it before.
  const countsBefore = await pipeline.counts();
  const cpuBefore = await cpuSeconds(pipeline.workerPid);
  const othersBefore = await others();
  const start = performance.now();
  await pipeline.submit(products);
  const settled = await pipeline.settled();
  const done = settled.done - countsBefore.done;
  const failed = settled.failed - countsBefore.failed;
  const seconds = (performance.now() - start) / 1000;
  const cpu = (await cpuSeconds(pipeline.workerPid)) - cpuBefore;
  const othersAfter = await others();
  const peak = await peakRssMb(pipeline.workerPid);
  if (failed > 0) throw new Error(`${failed} photos failed in the pipeline: ${JSON.stringify(await pipeline.failures())}`);
  const otherCpuSeconds = {
    benchProcess: othersAfter.benchProcess - othersBefore.benchProcess,
    postgres: othersAfter.postgres - othersBefore.postgres,
    rabbitmq: othersAfter.rabbitmq - othersBefore.rabbitmq,
  };
  return { images: done, seconds, cpuSeconds: cpu, peakRssMb: peak, otherCpuSeconds };
}

/** Every photo in one format, split over a few child processes (largest photos dealt out first). */
async function measureQuality(ctx: BenchContext, format: ImageFormat, photos: readonly string[]): Promise<FileQuality[]> {
  const bySize = [...photos].sort((a, b) => statSync(join(testImagesDir(), b)).size - statSync(join(testImagesDir(), a)).size);
  const shards = Array.from({ length: QUALITY_SHARDS }, (_, shard) => bySize.filter((_, i) => i % QUALITY_SHARDS === shard));
  const results = await Promise.all(
    shards.filter((shard) => shard.length > 0).map((shard) => runChildScript(ctx, 'image-quality.ts', ['--format', format, ...shard]) as Promise<FileQuality[]>),
  );
  return results.flat().sort((a, b) => a.file.localeCompare(b.file));
}
