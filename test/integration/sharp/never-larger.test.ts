import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { SharpImageCompressor } from '../../../src/adapters/sharp/index.js';
import { ssimToSource } from '../../support/ssim.js';
import { readImage } from './read-image.js';

// Already heavily compressed 800x600 sources: re-encoding at the configured quality grows them.
const lowQualityWebp = () => sharp(readImage('wood.webp')).resize(800).webp({ quality: 20 }).toBuffer();
const midQualityWebp = () => sharp(readImage('wood.webp')).resize(800).webp({ quality: 50 }).toBuffer();

describe('never larger than the source', () => {
  const webp = new SharpImageCompressor();

  it('falls back to a lower quality when the configured one does not shrink the source', async () => {
    const source = await midQualityWebp();

    const output = await webp.compress(source);

    expect(output.bytes.length).toBeLessThan(source.length);
    expect(output).toMatchObject({ format: 'webp', width: 800, height: 600 });
    expect(await ssimToSource(source, output)).toBeGreaterThanOrEqual(0.9);
  });

  it('stores a clean source as is when no encoding beats it', async () => {
    const source = await lowQualityWebp();

    const output = await webp.compress(source);

    expect(Buffer.from(output.bytes).equals(source)).toBe(true);
    expect(output).toEqual({ bytes: source, format: 'webp', contentType: 'image/webp', width: 800, height: 600 });
  });

  it('keeps a clean PNG as PNG, a storable format too', async () => {
    const flat = sharp({ create: { width: 200, height: 200, channels: 3, background: '#3366cc' } });
    const source = await flat.png({ palette: true }).toBuffer();

    const output = await new SharpImageCompressor({ format: 'jpeg' }).compress(source);

    expect(output).toEqual({ bytes: source, format: 'png', contentType: 'image/png', width: 200, height: 200 });
  });

  it('keeps a clean AVIF source under the AVIF setting', async () => {
    const source = await sharp(readImage('wood.webp')).resize(800).avif({ quality: 30 }).toBuffer();

    const output = await new SharpImageCompressor({ format: 'avif' }).compress(source);

    expect(output).toMatchObject({ bytes: source, format: 'avif', contentType: 'image/avif' });
  });

  it('still strips a source carrying metadata, even at a few bytes more: privacy outranks size', async () => {
    const source = await sharp(await lowQualityWebp())
      .withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } })
      .webp({ quality: 20 })
      .toBuffer();

    const output = await webp.compress(source);

    expect((await sharp(output.bytes).metadata()).exif).toBeUndefined();
    expect(output.bytes.length).toBeGreaterThan(source.length);
  });

  it('still shrinks a source wider than maxEdge', async () => {
    const source = await sharp(readImage('wood.webp')).resize(800).webp({ quality: 20 }).toBuffer();

    const output = await new SharpImageCompressor({ maxEdge: 400 }).compress(source);

    expect(output).toMatchObject({ format: 'webp', width: 400, height: 300 });
    expect(output.bytes.length).toBeLessThan(source.length);
  });
});
