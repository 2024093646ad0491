import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { SharpImageCompressor } from '../../../src/adapters/sharp/index.js';
import { ssimBetween } from '../../support/ssim.js';
import { readImage } from './read-image.js';

describe('EXIF orientation', () => {
  it('rotated-exif.jpg (orientation 8, stored sideways) comes out upright', async () => {
    const source = readImage('rotated-exif.jpg');
    const stored = await sharp(source).metadata();
    expect(stored).toMatchObject({ orientation: 8, width: 533, height: 800 });

    const output = await new SharpImageCompressor().compress(source);

    expect(output).toMatchObject({ width: stored.height, height: stored.width });
    // Orientation 8: the stored pixels must turn 90° counter-clockwise (270° clockwise) to be viewed.
    const upright = sharp(source).rotate(270);
    const upsideDown = sharp(source).rotate(90);
    const likeUpright = await ssimBetween(upright, sharp(output.bytes));
    expect(likeUpright).toBeGreaterThanOrEqual(0.95);
    expect(await ssimBetween(upsideDown, sharp(output.bytes))).toBeLessThan(likeUpright - 0.3);
  });

  it('matches the photo it was made from (storm.jpg), an independent reference', async () => {
    const output = await new SharpImageCompressor().compress(readImage('rotated-exif.jpg'));
    const original = sharp(readImage('storm.jpg')).resize(output.width, output.height, { fit: 'fill' });
    expect(await ssimBetween(original, sharp(output.bytes))).toBeGreaterThanOrEqual(0.95);
  });
});
