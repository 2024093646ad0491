import sharp, { type Sharp } from 'sharp';
import { ssim } from 'ssim.js';
import { describe, expect, it } from 'vitest';
import { lumaFlatness, lumaSsim } from '../../../src/adapters/sharp/luma-ssim.js';
import { SharpImageCompressor, type QualitySearchTrace } from '../../../src/adapters/sharp/index.js';
import { pixelsOf } from '../../support/ssim.js';
import { readImage } from './read-image.js';

const luma = (pipeline: Sharp) => pipeline.flatten({ background: '#ffffff' }).greyscale().raw().toBuffer();

/** A photo fitted to `edge` px as raw pixels, and the same encoded as WebP at `quality`. */
async function photoAt(file: string, quality: number, edge: number) {
  const { data, info } = await sharp(readImage(file)).autoOrient().resize({ width: edge, height: edge, fit: 'inside' }).raw().toBuffer({ resolveWithObject: true });
  const raw = { width: info.width, height: info.height, channels: info.channels };
  return { reference: sharp(data, { raw }), encoded: sharp(await sharp(data, { raw }).webp({ quality }).toBuffer()), info };
}

/** Luma SSIM of each rendition against the compressor's own decode, resized to its width. */
async function renditionScores(compressor: SharpImageCompressor, file: string) {
  const source = readImage(file);
  const { renditions } = await compressor.renditions(source);
  const largest = renditions.at(-1)!;
  const fitted = await sharp(source).autoOrient().resize({ width: largest.width, height: largest.height, fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
  const scores = [];
  for (const rendition of renditions) {
    const reference = sharp(fitted.data, { raw: fitted.info }).resize({ width: rendition.width, height: rendition.height, fit: 'fill' });
    scores.push({ width: rendition.width, bytes: rendition.bytes.length, ssim: lumaSsim(await luma(reference), await luma(sharp(rendition.bytes)), rendition.width, rendition.height) });
  }
  return scores;
}

describe('lumaSsim', () => {
  // ssim.js in JavaScript over a full map is the slow side (seconds per photo at 1600 px, and the
  // suite runs one fork more than the cores), so the photos are compared at 800 px: the agreement
  // does not depend on the size, and the explicit timeout covers a busy machine.
  it('agrees with ssim.js (full map, Gaussian window) within 0.005 on photos', { timeout: 120_000 }, async () => {
    for (const [file, quality] of [['dune.jpg', 50], ['ladybird.jpg', 82], ['storm.jpg', 40], ['wood.webp', 70]] as const) {
      const { reference, encoded, info } = await photoAt(file, quality, 800);
      const ours = lumaSsim(await luma(reference.clone()), await luma(encoded.clone()), info.width, info.height);
      const theirs = ssim(await pixelsOf(reference), await pixelsOf(encoded), { ssim: 'fast', downsample: false }).mssim;
      expect(Math.abs(ours - theirs), file).toBeLessThan(0.005);
    }
  });

  it('is 1 for identical images, lower the more they differ, and copes with images smaller than its window', () => {
    const flat = new Uint8Array(64 * 48).fill(128);
    const noisy = flat.map((value, i) => value + ((i * 7919) % 41) - 20);
    const noisier = flat.map((value, i) => value + ((i * 7919) % 81) - 40);
    expect(lumaSsim(noisy, noisy, 64, 48)).toBeCloseTo(1, 10);
    expect(lumaSsim(flat, noisier, 64, 48)).toBeLessThan(lumaSsim(flat, noisy, 64, 48));
    expect(lumaSsim(new Uint8Array([10, 20, 30]), new Uint8Array([10, 20, 30]), 3, 1)).toBeCloseTo(1, 10);
    expect(lumaSsim(new Uint8Array(25).fill(9), new Uint8Array(25).fill(200), 5, 5)).toBeLessThan(0.1);
    expect(() => lumaSsim(flat, flat, 10, 10)).toThrow(RangeError);
  });
});

describe('lumaFlatness', () => {
  it('is 1 for a flat image and orders photos from smooth to busy', async () => {
    expect(lumaFlatness(new Uint8Array(64 * 48).fill(90), 64, 48)).toBeCloseTo(1, 10);
    const flatness = async (file: string) => {
      const { reference, info } = await photoAt(file, 82, 1600);
      return lumaFlatness(await luma(reference), info.width, info.height);
    };
    // storm.jpg is mostly smooth sky, dune.jpg rippled sand: the fit's two ends.
    const [storm, dune] = [await flatness('storm.jpg'), await flatness('dune.jpg')];
    expect(storm).toBeGreaterThan(0.85);
    expect(dune).toBeLessThan(0.7);
    expect(() => lumaFlatness(new Uint8Array(10), 4, 4)).toThrow(RangeError);
  });
});

describe('SharpImageCompressor with a target SSIM', () => {
  const targeted = new SharpImageCompressor({ targetSsim: 0.965 });
  const fixed = new SharpImageCompressor();

  it('encodes every rendition of a photo at or above the target, in fewer bytes than quality 82 where 82 overshoots', async () => {
    for (const file of ['storm.jpg', 'dune.jpg']) {
      const scores = await renditionScores(targeted, file);
      const baseline = await renditionScores(fixed, file);
      // A width may drop out when it would be no smaller than the next larger (the chain's rule).
      expect(baseline.map((score) => score.width)).toEqual(expect.arrayContaining(scores.map((score) => score.width)));
      expect(scores.at(-1)!.width).toBe(baseline.at(-1)!.width);
      // Against the compressor's own resize: the first decode shrinks on load, this one does not.
      for (const score of scores) expect(score.ssim, `${file} ${score.width}`).toBeGreaterThanOrEqual(0.965 - 0.004);
      const total = (list: typeof scores) => list.reduce((sum, score) => sum + score.bytes, 0);
      expect(total(scores)).toBeLessThan(total(baseline));
    }
    // storm.jpg (a smooth sky) meets the target far below 82: at least a third fewer bytes.
    const storm = await renditionScores(targeted, 'storm.jpg');
    const stormFixed = await renditionScores(fixed, 'storm.jpg');
    expect(storm.at(-1)!.bytes).toBeLessThan((stormFixed.at(-1)!.bytes * 2) / 3);
  });

  it('keeps alpha, and raises quality where 82 falls short of the target', async () => {
    const { primary } = await targeted.renditions(readImage('alpha.png'));
    expect(await sharp(primary.bytes).metadata()).toMatchObject({ format: 'webp', hasAlpha: true });
    const high = new SharpImageCompressor({ targetSsim: 0.99 });
    const [small] = await renditionScores(high, 'cmyk.jpg');
    const [smallFixed] = await renditionScores(fixed, 'cmyk.jpg');
    expect(small!.bytes).toBeGreaterThan(smallFixed!.bytes);
    expect(small!.ssim).toBeGreaterThan(smallFixed!.ssim);
  });

  it('reports each rendition\'s search: its probes, the quality kept and the CPU encoding and scoring took', async () => {
    const searches: QualitySearchTrace[] = [];
    const traced = new SharpImageCompressor({ targetSsim: 0.965, onSearch: (search) => searches.push(search) });
    const { renditions } = await traced.renditions(readImage('dune.jpg'));
    // Every width is searched, largest first; a dropped one is searched too.
    expect(searches.map((search) => search.width)).toEqual([1600, 1024, 640, 320]);
    expect(renditions.length).toBeLessThanOrEqual(searches.length);
    for (const search of searches) {
      expect(search.format).toBe('webp');
      expect(search.probes.length).toBeGreaterThanOrEqual(1);
      expect(search.probes.length).toBeLessThanOrEqual(2);
      // The kept quality passed, or none did and it is the range's top.
      const kept = search.probes.find((probe) => probe.quality === search.quality);
      expect(kept ? kept.score >= 0.965 : search.quality === 95).toBe(true);
      expect(search.encode_s).toBeGreaterThan(0);
      expect(search.score_s).toBeGreaterThan(0);
    }
    // dune.jpg is a busy photo: its first guess is well above the floor, and each smaller width starts no lower.
    expect(searches[0]!.probes[0]!.quality).toBeGreaterThan(65);
    for (let i = 1; i < searches.length; i++) expect(searches[i]!.probes[0]!.quality).toBeGreaterThanOrEqual(searches[i - 1]!.quality);
    // A smooth photo starts at the floor.
    const storm: QualitySearchTrace[] = [];
    await new SharpImageCompressor({ targetSsim: 0.965, onSearch: (search) => storm.push(search) }).renditions(readImage('storm.jpg'));
    expect(storm[0]!.probes[0]!.quality).toBe(30);
  });

  it('has a fingerprint of its own, so renditions made at fixed quality are not reused for it', () => {
    expect(targeted.fingerprint).not.toBe(fixed.fingerprint);
    expect(new SharpImageCompressor({ targetSsim: 0.965 }).fingerprint).toBe(targeted.fingerprint);
  });

  it('refuses a target outside (0, 1)', () => {
    expect(() => new SharpImageCompressor({ targetSsim: 1 })).toThrow(/targetSsim must be between 0 and 1/);
    expect(() => new SharpImageCompressor({ targetSsim: 0 })).toThrow(RangeError);
  });

  it('searches AVIF and JPEG too', async () => {
    for (const format of ['avif', 'jpeg'] as const) {
      const compressor = new SharpImageCompressor({ format, targetSsim: 0.965, renditionWidths: [640] });
      const { primary } = await compressor.renditions(readImage('storm.jpg'));
      expect((await sharp(primary.bytes).metadata()).format).toBe(format === 'avif' ? 'heif' : 'jpeg');
    }
  });
});
