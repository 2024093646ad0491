import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { SharpImageCompressor } from '../../../src/adapters/sharp/index.js';
import { readImage } from './read-image.js';

/** RGBA of the pixel at (x, y). */
async function pixel(image: Uint8Array, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(image).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * 4;
  return Array.from(data.subarray(at, at + 4));
}

describe('transparency', () => {
  // alpha.png fades from transparent on the left edge to opaque on the right.
  it.each(['webp', 'avif'] as const)('survives in %s', async (format) => {
    const output = await new SharpImageCompressor({ format }).compress(readImage('alpha.png'));

    expect(await sharp(output.bytes).metadata()).toMatchObject({ hasAlpha: true, channels: 4 });
    expect((await pixel(output.bytes, 0, 281))[3]).toBeLessThan(16);
    expect((await pixel(output.bytes, 450, 281))[3]).toBeGreaterThan(100);
    expect((await pixel(output.bytes, 450, 281))[3]).toBeLessThan(160);
    expect((await pixel(output.bytes, 899, 281))[3]).toBeGreaterThan(240);
  });

  it('is flattened onto white for JPEG, which has no alpha', async () => {
    const output = await new SharpImageCompressor({ format: 'jpeg' }).compress(readImage('alpha.png'));

    expect(await sharp(output.bytes).metadata()).toMatchObject({ hasAlpha: false, channels: 3 });
    const [r, g, b] = await pixel(output.bytes, 0, 281);
    expect(Math.min(r!, g!, b!)).toBeGreaterThan(235);
    // The opaque edge keeps the photo's own (dark green) colour.
    expect((await pixel(output.bytes, 899, 562))[2]).toBeLessThan(60);
  });
});

describe('animations', () => {
  const frame = (background: string) =>
    sharp({ create: { width: 40, height: 30, channels: 3, background } }).png().toBuffer();

  it.each(['webp', 'avif', 'jpeg'] as const)('keep only their first frame as %s', async (format) => {
    const gif = await sharp([await frame('#ff0000'), await frame('#0000ff'), await frame('#00ff00')], {
      join: { animated: true },
    })
      .gif()
      .toBuffer();
    expect(await sharp(gif).metadata()).toMatchObject({ pages: 3 });

    const output = await new SharpImageCompressor({ format }).compress(gif);

    const decoded = await sharp(output.bytes).metadata();
    expect(decoded.pages ?? 1).toBe(1);
    expect(output).toMatchObject({ width: 40, height: 30 });
    const [r, g, b] = await pixel(output.bytes, 20, 15);
    expect(r).toBeGreaterThan(200);
    expect(Math.max(g!, b!)).toBeLessThan(60);
  });
});
