import { describe, expect, it } from 'vitest';
import { checkTargets, meetsTarget, TARGETS, targetText } from '../../bench/targets.js';

describe('meetsTarget', () => {
  it('meets a lower bound at or above it', () => {
    expect(meetsTarget('get.cached_vs_uncached', 3)).toBe(true);
    expect(meetsTarget('get.cached_vs_uncached', 2.99)).toBe(false);
  });

  it('meets an upper bound at or below it', () => {
    expect(meetsTarget('list.p99_ms', 20)).toBe(true);
    expect(meetsTarget('list.p99_ms', 20.1)).toBe(false);
  });
});

describe('targetText', () => {
  it('writes the direction as ≥ or ≤ before the bound', () => {
    expect(targetText('images.ssim_min')).toBe('≥ 0.97');
    expect(targetText('images.peak_rss_mb')).toBe('≤ 450');
    expect(targetText('hostile.healthz_p99_ms')).toBe('≤ 100');
    expect(targetText('hostile.rss_growth_mb')).toBe('≤ 256');
  });
});

describe('checkTargets', () => {
  it('checks the figures present against the issue targets, lower and upper bounds alike', () => {
    const targets = checkTargets({ get: { cached_vs_uncached: 2.5, cached_vs_ceiling: 0.8 }, list: { p99_ms: 21 }, api_with_worker_vs_alone: 0.75 });
    expect(targets).toEqual([
      { key: 'get.cached_vs_uncached', value: 2.5, bound: 3, direction: 'min', met: false },
      { key: 'get.cached_vs_ceiling', value: 0.8, bound: 0.9, direction: 'min', met: false },
      { key: 'list.p99_ms', value: 21, bound: 20, direction: 'max', met: false },
      { key: 'api_with_worker_vs_alone', value: 0.75, bound: 0.75, direction: 'min', met: true },
    ]);
  });

  it('lists every target in the order of the table when every figure is present', () => {
    const figures = { get: { cached_vs_uncached: 1, cached_vs_ceiling: 1 }, list: { p99_ms: 1, cached: { cached_vs_uncached: 1 } }, stampede: { db_loads: 1 }, overload: { run3_vs_run1: 1 }, api_with_worker_vs_alone: 1, images: { pipeline_vs_bare: 1, renditions_cpu_vs_single: 1, first_rendition_p50_s: 1, bytes_ratio_median: 1, ssim_min: 1, peak_rss_mb: 1 }, quality: { bytes_ratio: 1, ssim_min_gain: 1, cpu_ratio: 1 }, hostile: { healthz_p99_ms: 1, rss_growth_mb: 1 }, scaling: { get_ratio: 1, images_ratio: 1 }, bulk: { per_second: 1 }, events: { get: { during_vs_alone: 1 } } };
    expect(checkTargets(figures).map((check) => check.key)).toEqual(Object.keys(TARGETS));
  });

  it('leaves out sections that did not run, and figures that are not numbers', () => {
    expect(checkTargets({})).toEqual([]);
    expect(checkTargets({ list: { p99_ms: '12' }, images: null })).toEqual([]);
  });
});
