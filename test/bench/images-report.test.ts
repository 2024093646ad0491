import { describe, expect, it } from 'vitest';
import {
  buildImagesResult,
  renderImagesMarkdown,
  summarizeFormat,
  type FileQuality,
  type ImagesMeasurements,
  type RunMeasurement,
} from '../../bench/images-report.js';

const run = (images: number, seconds: number, cpuSeconds: number, peakRssMb: number): RunMeasurement => ({ images, seconds, cpuSeconds, peakRssMb });
const file = (name: string, sourceBytes: number, outputBytes: number, ssim: number): FileQuality => ({ file: name, sourceBytes, outputBytes, ssim });

const webp = [file('a.jpg', 1000, 100, 0.98), file('b.png', 1000, 300, 0.9712), file('c.jpg', 2000, 200, 0.99)];
const measurements = (overrides: Partial<ImagesMeasurements> = {}): ImagesMeasurements => ({
  concurrency: 2,
  bare: run(20, 4, 4.4, 150.4),
  single: run(20, 3, 3, 140),
  pipeline: run(20, 5, 5.5, 266.6),
  firstRenditionSeconds: [0.5, 0.3, 0.4],
  quality: { webp, avif: [file('a.jpg', 1000, 80, 0.97)], jpeg: null },
  notes: ['SSIM: test'],
  ...overrides,
});

describe('summarizeFormat', () => {
  it('takes the median size ratio and SSIM, and names the photo with the lowest SSIM', () => {
    expect(summarizeFormat(webp)).toMatchObject({ images: 3, bytes_ratio_median: 0.1, ssim_median: 0.98, ssim_min: 0.9712, ssim_min_file: 'b.png' });
  });

  it('lists each photo with its ratio and SSIM, rounded', () => {
    expect(summarizeFormat([file('x.jpg', 3000, 1000, 0.987654)]).files).toEqual([{ file: 'x.jpg', bytes_ratio: 0.333, ssim: 0.9877 }]);
  });

  it('throws without photos', () => {
    expect(() => summarizeFormat([])).toThrow(/no photos/);
  });
});

describe('buildImagesResult', () => {
  const result = buildImagesResult(measurements());

  it('reports images/s, CPU-seconds per image and peak RSS per run', () => {
    expect(result.bare).toEqual({ seconds: 4, images_per_s: 5, cpu_s_per_image: 0.22, peak_rss_mb: 150 });
    expect(result.pipeline).toEqual({ seconds: 5, images_per_s: 4, cpu_s_per_image: 0.275, peak_rss_mb: 267 });
    expect(result.single).toEqual({ seconds: 3, images_per_s: 6.67, cpu_s_per_image: 0.15, peak_rss_mb: 140 });
  });

  it('sets the CPU of the rendition set against one 1600-px WebP, and takes the median time to the first rendition', () => {
    expect(result).toMatchObject({ renditions_cpu_vs_single: 1.467, first_rendition_p50_s: 0.4, first_rendition_samples: 3 });
    expect(() => buildImagesResult(measurements({ firstRenditionSeconds: [] }))).toThrow(/first rendition/);
  });

  it('has the issue top-level keys: the ratio on images/s, WebP compression and the worker peak RSS', () => {
    expect(result).toMatchObject({ images: 20, concurrency: 2, pipeline_vs_bare: 0.8, bytes_ratio_median: 0.1, ssim_min: 0.9712, peak_rss_mb: 267 });
  });

  it('summarizes every measured format and leaves skipped ones null', () => {
    expect(result.formats.webp?.images).toBe(3);
    expect(result.formats.avif).toMatchObject({ images: 1, bytes_ratio_median: 0.08, ssim_min: 0.97 });
    expect(result.formats.jpeg).toBeNull();
  });

  it('judges the targets on unrounded values', () => {
    const met = buildImagesResult(measurements({ pipeline: run(20, 4.2, 5, 266) }));
    expect(met.meets).toEqual({ pipeline_vs_bare: true, renditions_cpu_vs_single: true, first_rendition_p50_s: true, bytes_ratio_median: true, ssim_min: true, peak_rss_mb: true });
    const missed = buildImagesResult(
      measurements({
        pipeline: run(20, 4.2106, 5, 451),
        single: run(20, 3, 2.749, 140),
        firstRenditionSeconds: [0.5004],
        quality: { webp: [file('a.jpg', 1000, 251, 0.96996)], avif: null, jpeg: null },
      }),
    );
    // 0.96996 shows as 0.97 at four decimals, yet is below the target.
    expect(missed.ssim_min).toBe(0.97);
    expect(missed.meets).toEqual({ pipeline_vs_bare: false, renditions_cpu_vs_single: false, first_rendition_p50_s: false, bytes_ratio_median: false, ssim_min: false, peak_rss_mb: false });
  });

  it('refuses runs of different sizes, empty runs and a missing WebP measurement', () => {
    expect(() => buildImagesResult(measurements({ bare: run(10, 2, 2, 100) }))).toThrow(/not comparable/);
    expect(() => buildImagesResult(measurements({ bare: run(0, 1, 0, 100), pipeline: run(0, 1, 0, 100) }))).toThrow(/needs images/);
    expect(() => buildImagesResult(measurements({ quality: { webp: null, avif: null, jpeg: null } }))).toThrow(/WebP/);
  });
});

describe('pipeline_vs_bare', () => {
  it('keeps three decimals, so a ratio just under its target never shows as meeting it', () => {
    const result = buildImagesResult(measurements({ bare: run(200, 21.71, 41, 177), pipeline: run(200, 27.25, 45, 263) }));
    expect(result.pipeline_vs_bare).toBe(0.797);
    expect(result.meets.pipeline_vs_bare).toBe(false);
  });
});

describe('renderImagesMarkdown', () => {
  const pipeline = { ...run(20, 10, 6, 300), otherCpuSeconds: { benchProcess: 1, postgres: 0.5, rabbitmq: 0.25 } };
  const result = buildImagesResult(measurements({ pipeline }));
  const markdown = renderImagesMarkdown(result);

  it('has a row per run with images, seconds, images/s, CPU-s/image and peak RSS', () => {
    expect(markdown).toContain('### Images (20 compressions per run, 2 in flight)');
    expect(markdown).toContain('| Run | images | s | images/s | CPU-s/image | peak RSS MB |');
    expect(markdown).toContain('| bare sharp | 20 | 4 | 5 | 0.22 | 150 |');
    expect(markdown).toContain('| pipeline (worker) | 20 | 10 | 2 | 0.3 | 300 |');
  });

  it('says what the pipeline cost per image outside the worker, and only for the pipeline', () => {
    expect(result.pipeline.other_cpu_s_per_image).toEqual({ bench_process: 0.05, postgres: 0.025, rabbitmq: 0.013 });
    expect(result.bare).not.toHaveProperty('other_cpu_s_per_image');
    expect(markdown).toContain('0.05 CPU-s in the bench process (origin and s3rver), 0.025 in PostgreSQL, 0.013 in RabbitMQ');
  });

  it('has a row per format, saying which were not measured', () => {
    expect(markdown).toContain('| WebP (default) | 0.1 | 0.98 | 0.9712 (b.png) | 3 |');
    expect(markdown).toContain('| AVIF | 0.08 | 0.97 | 0.97 (a.jpg) | 1 |');
    expect(markdown).toContain('| JPEG (mozjpeg) | not measured | | | |');
  });

  it('states the ratio against its target, the other targets and the notes', () => {
    expect(markdown).toContain('pipeline / bare: 0.4× (target ≥ 0.95: **missed**)');
    expect(markdown).toContain("renditions' CPU / one 1600-px WebP: 1.467× (≤ 1.6: met)");
    expect(markdown).toContain('POST to first rendition, 4 MP JPEG, idle: p50 0.4 s over 3 (≤ 0.5: met)');
    expect(markdown).toContain('| bare sharp, one 1600-px WebP | 20 | 3 | 6.67 | 0.15 | 140 |');
    expect(markdown).toContain('WebP median size ratio 0.1 (≤ 0.25: met)');
    expect(markdown).toContain('WebP lowest SSIM 0.9712 (≥ 0.97: met)');
    expect(markdown).toContain('worker peak RSS 300 MB (≤ 450: met)');
    expect(markdown).toContain('- SSIM: test');
  });
});
