import { describe, expect, it } from 'vitest';
import { buildQualityResult, renderQualityMarkdown, type QualityRun, type RenditionQuality } from '../../bench/quality-report.js';

const rendition = (file: string, width: number, bytes: number, ssim: number): RenditionQuality => ({ file, width, format: 'webp', bytes, ssim });

const run: QualityRun = {
  target: 0.965,
  fixed: { cpu_s: 2, renditions: [rendition('a.jpg', 320, 100, 0.95), rendition('a.jpg', 1600, 1000, 0.98), rendition('b.png', 900, 400, 0.97)] },
  // b.png's largest is 900 px wide: it counts under ≤ 1024; a.jpg's 1024 was dropped in neither.
  targeted: { cpu_s: 5, renditions: [rendition('a.jpg', 320, 110, 0.96), rendition('a.jpg', 1600, 600, 0.966), rendition('b.png', 900, 290, 0.967)] },
};

describe('quality section', () => {
  it('compares bytes, lowest SSIM and CPU of both modes, per rendition width and over all', () => {
    const result = buildQualityResult(run);
    expect(result).toMatchObject({ target: 0.965, photos: 2, bytes_ratio: 1000 / 1500, common_bytes_ratio: 1000 / 1500, dropped: 0, fixed_ssim_min: 0.95, targeted_ssim_min: 0.96, cpu_ratio: 2.5 });
    // A run without search traces (the fixed mode has none) reports no search summary.
    expect(result.search).toBeUndefined();
    expect(result.ssim_min_gain).toBeCloseTo(0.01, 10);
    expect(result.rows).toEqual([
      { width: 320, format: 'webp', fixed_bytes: 100, targeted_bytes: 110, fixed_ssim_min: 0.95, targeted_ssim_min: 0.96 },
      { width: 1024, format: 'webp', fixed_bytes: 400, targeted_bytes: 290, fixed_ssim_min: 0.97, targeted_ssim_min: 0.967 },
      { width: 1600, format: 'webp', fixed_bytes: 1000, targeted_bytes: 600, fixed_ssim_min: 0.98, targeted_ssim_min: 0.966 },
    ]);
  });

  it('reports a width the targeted mode dropped as no SSIM, and renders the table with the targets', () => {
    const dropped = buildQualityResult({ ...run, targeted: { cpu_s: 4, renditions: run.targeted.renditions.filter((r) => r.width !== 320) } });
    expect(dropped.rows[0]).toMatchObject({ width: 320, targeted_bytes: 0, targeted_ssim_min: Number.NaN });
    // The dropped 320 counts as a saving over all, not on the renditions both kept.
    expect(dropped).toMatchObject({ bytes_ratio: 890 / 1500, common_bytes_ratio: 890 / 1400, dropped: 1 });
    expect(renderQualityMarkdown(dropped)).toContain('On the renditions both modes kept: bytes 0.64× (1 left out by the target');
    const markdown = renderQualityMarkdown(buildQualityResult(run));
    expect(markdown).toContain('IMAGE_TARGET_SSIM=0.965, 2 photos');
    expect(markdown).toContain('| webp ≤ 1600 | 1000 | 600 | 0.6 | 0.98 | 0.966 |');
    expect(markdown).toContain('bytes 0.67× (target ≤ 0.8)');
    expect(markdown).toContain('CPU 2.5× (target ≤ 2)');
  });

  it('summarizes what the search cost: encodes per rendition, first-probe share, encoding and scoring CPU', () => {
    const search = (width: number, encodes: number, scores: number[]) => ({
      width,
      format: 'webp',
      quality: 60,
      encodes,
      probes: scores.map((score, i) => ({ quality: 60 + i * 8, score })),
      encode_s: 0.5 * encodes,
      score_s: 0.25 * scores.length,
    });
    const traced = buildQualityResult({ ...run, targeted: { ...run.targeted, searches: [search(1600, 1, [0.97]), search(320, 2, [0.95, 0.97]), search(900, 3, [0.9, 0.91])] } });
    expect(traced.search).toEqual({ renditions: 3, encodes_per_rendition: 2, one_probe_share: 1 / 3, encode_share: 3 / 5, score_share: 1.25 / 5 });
    expect(renderQualityMarkdown(traced)).toContain('The search: 2 encodes per rendition over 3 searched, 33 % settled by the first probe; encoding took 60 % of the targeted CPU, scoring (decoding the output, its luma, the SSIM) 25 %');
  });
});
