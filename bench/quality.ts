/**
 * The quality section: every photo's renditions at fixed quality 82 and at a target SSIM, in a
 * child process (one at a time: the CPU ratio is the figure), judged by the same SSIM.
 */
import { photoNames } from '../test/support/testdata.js';
import { runChildScript } from './child-script.js';
import type { BenchContext } from './context.js';
import { buildQualityResult, type QualityResult, type QualityRun } from './quality-report.js';

// The README's suggested setting: the lowest SSIM of quality 82's renditions, or better, for 20 % fewer bytes.
export const BENCH_TARGET_SSIM = 0.965;

export async function runQuality(ctx: BenchContext): Promise<QualityResult> {
  const photos = photoNames();
  ctx.log(`quality: ${photos.length} photos at quality 82 and at SSIM ${BENCH_TARGET_SSIM}`);
  const run = (await runChildScript(ctx, 'quality-target.ts', ['--target', String(BENCH_TARGET_SSIM), ...photos])) as QualityRun;
  return buildQualityResult(run);
}
