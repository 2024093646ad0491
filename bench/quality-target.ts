/**
 * Child process of the quality section: every rendition of each named photo at fixed quality
 * (the default compressor) and at the target SSIM, with each rendition's bytes and its
 * full-resolution SSIM (ssim.js, the judge the image section uses too) against the source
 * oriented and resized to its dimensions, and the CPU each mode spent compressing; for the
 * target, each rendition's search too (probes, encodes, CPU encoding and scoring).
 *
 *   node --import tsx bench/quality-target.ts --target 0.965 dune.jpg storm.jpg …
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SharpImageCompressor } from '../src/adapters/sharp/index.js';
import { ssimToSource } from '../test/support/ssim.js';
import { testImagesDir } from '../test/support/testdata.js';
import type { QualityMode, RenditionQuality, SearchCost } from './quality-report.js';

const { values, positionals } = parseArgs({ options: { target: { type: 'string' } }, allowPositionals: true });
const target = Number(values.target);
if (!(target > 0 && target < 1)) throw new Error(`--target takes a fraction, got ${values.target}`);

const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

async function measure(compressor: SharpImageCompressor, searches?: SearchCost[]): Promise<QualityMode> {
  const renditions: RenditionQuality[] = [];
  let cpu = 0;
  for (const file of positionals) {
    const source = readFileSync(join(testImagesDir(), file));
    const before = cpuSeconds();
    const made = await compressor.renditions(source);
    cpu += cpuSeconds() - before;
    for (const rendition of made.renditions) {
      renditions.push({ file, width: rendition.width, format: rendition.format, bytes: rendition.bytes.length, ssim: await ssimToSource(source, rendition) });
    }
  }
  return { cpu_s: cpu, renditions, ...(searches && { searches }) };
}

// Fixed first, then targeted, in one process: the same warm-up for both.
const fixed = await measure(new SharpImageCompressor());
const searches: SearchCost[] = [];
const onSearch = ({ width, format, quality, encodes, probes, encode_s, score_s }: SearchCost) =>
  searches.push({ width, format, quality, encodes, probes, encode_s, score_s });
const targeted = await measure(new SharpImageCompressor({ targetSsim: target, onSearch }), searches);
process.stdout.write(`${JSON.stringify({ target, fixed, targeted })}\n`);
