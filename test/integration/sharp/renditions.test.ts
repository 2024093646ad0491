import sharp from 'sharp';
import { thumbHashToAverageRGBA } from 'thumbhash';
import { describe, expect, it } from 'vitest';
import { SharpImageCompressor } from '../../../src/adapters/sharp/index.js';
import { ssimBetween } from '../../support/ssim.js';
import { readImage } from './read-image.js';

const webp = new SharpImageCompressor();
const sizes = (renditions: readonly { width: number; height: number; format: string }[]) =>
  renditions.map(({ width, height, format }) => `${format} ${width}x${height}`);

describe('SharpImageCompressor renditions', () => {
  it('encodes every default width in WebP from a photo larger than all of them, sorted, the largest as primary', async () => {
    const { primary, renditions } = await webp.renditions(readImage('ladybird.jpg'));
    expect(sizes(renditions)).toEqual(['webp 320x200', 'webp 640x400', 'webp 1024x640', 'webp 1600x1000']);
    expect(renditions.at(-1)).toBe(primary);
    for (const rendition of renditions) {
      const meta = await sharp(rendition.bytes).metadata();
      expect(meta).toMatchObject({ format: 'webp', width: rendition.width, height: rendition.height, space: 'srgb' });
      expect(meta.exif).toBeUndefined();
    }
    // Smaller widths are smaller files, each still the source's picture.
    const bytes = renditions.map((rendition) => rendition.bytes.length);
    expect([...bytes].sort((a, b) => a - b)).toEqual(bytes);
    const small = renditions[0]!;
    const reference = sharp(readImage('ladybird.jpg')).resize(small.width, small.height, { fit: 'fill' });
    expect(await ssimBetween(reference, sharp(small.bytes))).toBeGreaterThanOrEqual(0.95);
  });

  it('never upscales: widths above the source are left out and the source width is the largest', async () => {
    const source = readImage('alpha.png');
    const { renditions } = await webp.renditions(source);
    expect(sizes(renditions)).toEqual(['webp 320x200', 'webp 640x400', 'webp 900x563']);
    const tiny = await sharp({ create: { width: 200, height: 100, channels: 3, background: '#3366cc' } }).png().toBuffer();
    expect((await webp.renditions(tiny)).renditions.map((r) => r.width)).toEqual([200]);
  });

  it('bounds the largest by maxEdge, on the longest side', async () => {
    const bounded = new SharpImageCompressor({ maxEdge: 500 });
    expect(sizes((await bounded.renditions(readImage('dune.jpg'))).renditions)).toEqual(['webp 320x200', 'webp 500x313']);
    // rotated-exif.jpg is upright 800 × 533; a portrait would be bounded by its height.
    const portrait = await sharp({ create: { width: 600, height: 1200, channels: 3, background: '#808080' } }).jpeg().toBuffer();
    expect(sizes((await bounded.renditions(portrait)).renditions)).toEqual(['webp 250x500']);
  });

  it('turns an EXIF-rotated source upright in every rendition', async () => {
    const source = readImage('rotated-exif.jpg');
    const { renditions } = await webp.renditions(source);
    expect(sizes(renditions)).toEqual(['webp 320x213', 'webp 640x426', 'webp 800x533']);
    for (const rendition of renditions) {
      const upright = sharp(source).rotate(270).resize(rendition.width, rendition.height, { fit: 'fill' });
      expect(await ssimBetween(upright, sharp(rendition.bytes))).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('converts a CMYK source to sRGB in every rendition, faithful to the source', async () => {
    const source = readImage('cmyk.jpg');
    expect((await sharp(source).metadata()).space).toBe('cmyk');
    const { renditions } = await webp.renditions(source);
    expect(renditions.map((r) => r.width)).toEqual([320, 640, 1024, 1200]);
    for (const rendition of renditions) {
      expect((await sharp(rendition.bytes).metadata()).space).toBe('srgb');
      const reference = sharp(source).resize(rendition.width, rendition.height, { fit: 'fill' });
      expect(await ssimBetween(reference, sharp(rendition.bytes))).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('keeps the alpha channel in every rendition', async () => {
    const { renditions } = await webp.renditions(readImage('alpha.png'));
    for (const rendition of renditions) {
      expect((await sharp(rendition.bytes).metadata()).hasAlpha).toBe(true);
      const { data } = await sharp(rendition.bytes).extractChannel(3).raw().toBuffer({ resolveWithObject: true });
      // A gradient: some pixels transparent, some opaque.
      expect(data.reduce((min, value) => Math.min(min, value), 255)).toBeLessThan(64);
      expect(data.reduce((max, value) => Math.max(max, value), 0)).toBeGreaterThan(192);
    }
  });

  it('adds AVIF renditions when asked, each smaller than the WebP of its width', async () => {
    const both = new SharpImageCompressor({ renditionFormats: ['webp', 'avif'] });
    const { primary, renditions } = await both.renditions(readImage('dune.jpg'));
    expect(primary.format).toBe('webp');
    expect(sizes(renditions)).toEqual([
      'avif 320x200', 'webp 320x200', 'avif 640x400', 'webp 640x400',
      'avif 1024x640', 'webp 1024x640', 'avif 1600x1000', 'webp 1600x1000',
    ]);
    for (let i = 0; i < renditions.length; i += 2) {
      const [avif, webpRendition] = [renditions[i]!, renditions[i + 1]!];
      expect((await sharp(avif.bytes).metadata()).format).toBe('heif');
      expect(avif.bytes.length).toBeLessThan(webpRendition.bytes.length);
    }
  });

  it('drops a smaller width that would be no smaller a file than the next larger one', async () => {
    // A flat graphic: lossless WebP at full size beats any lossy encode of a smaller width.
    const flat = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#ffffff' } })
      .composite([{ input: { create: { width: 400, height: 400, channels: 3, background: '#ff0000' } }, top: 100, left: 100 }])
      .png()
      .toBuffer();
    const { primary, renditions } = await webp.renditions(flat);
    const bytes = renditions.map((rendition) => rendition.bytes.length);
    expect(renditions.at(-1)).toBe(primary);
    for (let i = 1; i < bytes.length; i += 1) expect(bytes[i - 1]!).toBeLessThan(bytes[i]!);
  });

  it('computes a ThumbHash and the dominant colour as a placeholder', async () => {
    const solid = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#3366cc' } }).png().toBuffer();
    const { placeholder } = await webp.renditions(solid);
    expect(placeholder.color).toMatch(/^#[0-9a-f]{6}$/);
    // sharp's dominant colour is the centre of the fullest of 16 bins per channel.
    const channel = (i: number) => Number.parseInt(placeholder.color.slice(1 + 2 * i, 3 + 2 * i), 16);
    expect([channel(0), channel(1), channel(2)].map((value, i) => Math.abs(value - [0x33, 0x66, 0xcc][i]!))).toSatisfy((d: number[]) => d.every((x) => x <= 16));
    const average = thumbHashToAverageRGBA(Buffer.from(placeholder.thumbhash, 'base64'));
    expect(Math.round(average.r * 255)).toBeCloseTo(0x33, -1);
    expect(Math.round(average.b * 255)).toBeCloseTo(0xcc, -1);

    const photo = await webp.renditions(readImage('storm.jpg'));
    expect(photo.placeholder.thumbhash).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(photo.placeholder.thumbhash, 'base64').length).toBeLessThanOrEqual(25);
  });

  it('fails a source it cannot decode with a permanent reason', async () => {
    await expect(webp.renditions(readImage('hostile/truncated.jpg'))).rejects.toMatchObject({ code: 'image.corrupt', transient: false });
  });

  it('fingerprints the settings that shape the output', () => {
    expect(new SharpImageCompressor().fingerprint).toBe(webp.fingerprint);
    expect(new SharpImageCompressor({ renditionWidths: [320] }).fingerprint).not.toBe(webp.fingerprint);
    expect(new SharpImageCompressor({ quality: 70 }).fingerprint).not.toBe(webp.fingerprint);
  });
});
