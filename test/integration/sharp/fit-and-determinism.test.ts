import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { SharpImageCompressor } from '../../../src/adapters/sharp/index.js';
import { readImage } from './read-image.js';

describe('fit inside maxEdge', () => {
  it('shrinks the long edge to 1600 by default, keeping the aspect ratio', async () => {
    expect(await new SharpImageCompressor().compress(readImage('ladybird.jpg'))).toMatchObject({ width: 1600, height: 1000 });
  });

  it('fits a portrait image by its height', async () => {
    const portrait = await sharp(readImage('dune.jpg')).rotate(90).jpeg().toBuffer();
    expect(await new SharpImageCompressor({ maxEdge: 500 }).compress(portrait)).toMatchObject({ width: 313, height: 500 });
  });

  it('never upscales', async () => {
    const output = await new SharpImageCompressor({ maxEdge: 4000 }).compress(readImage('rotated-exif.jpg'));
    expect(output).toMatchObject({ width: 800, height: 533 });
  });
});

describe('determinism', () => {
  it.each(['webp', 'avif', 'jpeg'] as const)('the same source gives byte-identical %s output', async (format) => {
    const source = readImage('progressive.jpg');
    const first = await new SharpImageCompressor({ format }).compress(source);
    const second = await new SharpImageCompressor({ format }).compress(source);
    expect(Buffer.from(second.bytes).equals(first.bytes)).toBe(true);
  });

  it('holds on the fallback path and with two compressions in flight', async () => {
    const source = await sharp(readImage('wood.webp')).resize(800).webp({ quality: 50 }).toBuffer();
    const compressor = new SharpImageCompressor();
    const [first, second] = await Promise.all([compressor.compress(source), compressor.compress(source)]);
    expect(first.bytes.length).toBeLessThan(source.length);
    expect(Buffer.from(second.bytes).equals(first.bytes)).toBe(true);
  });
});
