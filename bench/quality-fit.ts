/**
 * How WebP's first guess (WEBP_FIT in src/adapters/sharp/sharp-compressor-settings.ts) was
 * derived. For the largest rendition of each photo of ../shared/testdata/images: its luma
 * flatness (lumaFlatness) and the lowest WebP quality (effort 4, as that rendition is encoded)
 * whose luma SSIM reaches the target, interpolated between qualities 30, 35, … 95 (30 when 30
 * already passes). Then a least-squares fit of flatnessGuess (floor 30, margin 0) over a grid of
 * span, knee and scale, with the error of each photo left out of its own fit.
 *
 *   npx tsx bench/quality-fit.ts [--target 0.965]    (about a minute, one core)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp, { type Sharp } from 'sharp';
import { lumaFlatness, lumaSsim, resolveSettings } from '../src/adapters/sharp/index.js';
import { flatnessGuess, type FlatnessFit } from '../src/domain/index.js';
import { photoNames, testImagesDir } from '../test/support/testdata.js';

const { values } = parseArgs({ options: { target: { type: 'string', default: '0.965' } } });
const target = Number(values.target);
const settings = resolveSettings();
sharp.concurrency(1);
sharp.cache(false);

const luma = (image: Sharp) => image.flatten({ background: '#ffffff' }).greyscale().raw().toBuffer();

interface Point {
  readonly file: string;
  readonly flatness: number;
  readonly quality: number;
}

const points: Point[] = [];
for (const file of photoNames()) {
  // The compressor's decode: oriented, fitted to the largest rendition, sRGB.
  const { data, info } = await sharp(readFileSync(join(testImagesDir(), file)))
    .autoOrient()
    .resize({ width: settings.renditionWidths.at(-1)!, height: settings.maxEdge, fit: 'inside', withoutEnlargement: true })
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  const decoded = { data, raw: { width, height, channels: info.channels } };
  const reference = await luma(sharp(decoded.data, { raw: decoded.raw }));
  let previous: { quality: number; score: number } | undefined;
  let quality = 95;
  for (let q = 30; q <= 95; q += 5) {
    const encoded = await sharp(decoded.data, { raw: decoded.raw }).webp({ quality: q, effort: settings.effort }).toBuffer();
    const score = lumaSsim(reference, await luma(sharp(encoded)), width, height);
    if (score >= target) {
      quality = previous ? previous.quality + ((target - previous.score) / (score - previous.score)) * (q - previous.quality) : q;
      break;
    }
    previous = { quality: q, score };
  }
  points.push({ file, flatness: lumaFlatness(reference, width, height), quality });
}

const candidates: FlatnessFit[] = [];
for (let span = 40; span <= 64; span += 2) {
  for (let knee = 0.8; knee <= 0.8701; knee += 0.005) {
    for (let scale = 0.01; scale <= 0.1001; scale += 0.005) candidates.push({ floor: 30, span, knee, scale, margin: 0 });
  }
}
const squares = (fit: FlatnessFit, data: readonly Point[]) => data.reduce((sum, p) => sum + (flatnessGuess(fit, p.flatness) - p.quality) ** 2, 0);
const best = (data: readonly Point[]) => candidates.reduce((a, b) => (squares(b, data) < squares(a, data) ? b : a));

const fit = best(points);
const rms = (errors: readonly number[]) => Math.sqrt(errors.reduce((sum, e) => sum + e * e, 0) / errors.length);
const leftOut = points.map((p) => flatnessGuess(best(points.filter((other) => other !== p)), p.flatness) - p.quality);
const round = (value: number, digits: number) => Number(value.toFixed(digits));
for (const [i, p] of points.entries()) {
  console.log(`${p.file.padEnd(18)} flatness ${p.flatness.toFixed(3)}  quality ${p.quality.toFixed(1).padStart(5)}  fit ${flatnessGuess(fit, p.flatness).toFixed(1).padStart(5)}  left out ${leftOut[i]! >= 0 ? '+' : ''}${leftOut[i]!.toFixed(1)}`);
}
console.log(`target ${target}: span ${fit.span}, knee ${round(fit.knee, 3)}, scale ${round(fit.scale, 3)}; RMS ${rms(points.map((p) => flatnessGuess(fit, p.flatness) - p.quality)).toFixed(1)}, left out ${rms(leftOut).toFixed(1)}`);
