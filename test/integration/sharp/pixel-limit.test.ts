import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { resolveSettings, SharpImageCompressor } from '../../../src/adapters/sharp/index.js';
import { decodeSource } from '../../../src/adapters/sharp/render-renditions.js';
import { toImageFailure } from '../../../src/adapters/sharp/to-image-failure.js';
import { ImageFailure } from '../../../src/domain/index.js';
import { readImage } from './read-image.js';

const peakRssMiB = () => process.resourceUsage().maxRSS / 1024;

describe('pixel limit', () => {
  const compressor = new SharpImageCompressor();

  it.each([
    ['hostile/pixel-bomb.png', '30000x30000'],
    ['hostile/pixel-bomb-256mp.png', '16000x16000'],
  ])('%s is refused from its header, before any decoding', async (name, dimensions) => {
    const before = peakRssMiB();

    const error = await compressor.compress(readImage(name)).catch((e: unknown) => e);

    // The header check's own message, not libvips' guard: nothing reached the decoder.
    expect(error).toBeInstanceOf(ImageFailure);
    expect(error).toMatchObject({ code: 'image.too_many_pixels', transient: false });
    expect((error as ImageFailure).message).toContain(dimensions);
    // Decoding would need 256 MB (one grey band) to 900 MB; the process stays far below.
    expect(peakRssMiB() - before).toBeLessThan(64);
  });

  it('is configurable: a 4 MP photo fails a 1 MP limit', async () => {
    const strict = new SharpImageCompressor({ maxPixels: 1_000_000 });
    await expect(strict.compress(readImage('ladybird.jpg'))).rejects.toMatchObject({ code: 'image.too_many_pixels' });
  });

  it('is repeated inside libvips as limitInputPixels, should a decoder disagree with the header', async () => {
    const settings = resolveSettings({ maxPixels: 1_000_000 });
    const error = await decodeSource(readImage('ladybird.jpg'), settings).catch((e: unknown) => e);
    expect(toImageFailure(error)).toMatchObject({ code: 'image.too_many_pixels', transient: false });
  });

  it('counts one frame of an animation, the only one decoded', async () => {
    const frame = (background: string) =>
      sharp({ create: { width: 100, height: 100, channels: 3, background } }).png().toBuffer();
    const gif = await sharp([await frame('#ff0000'), await frame('#0000ff')], { join: { animated: true } }).gif().toBuffer();
    const output = await new SharpImageCompressor({ maxPixels: 10_000 }).compress(gif);
    expect(output).toMatchObject({ width: 100, height: 100 });
  });
});
