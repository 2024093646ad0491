import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { SharpImageCompressor, type SharpOutputFormat } from '../../../src/adapters/sharp/index.js';
import { ssimToSource } from '../../support/ssim.js';
import { photoNames } from '../../support/testdata.js';
import { readImage } from './read-image.js';

const SHARP_FORMAT = { webp: 'webp', avif: 'heif', jpeg: 'jpeg' } as const;

/** Compresses every shared photo to one format and checks the output decodes, fits and looks right. */
export function photoCases(format: SharpOutputFormat) {
  describe(`every photo as ${format}`, () => {
    const compressor = new SharpImageCompressor({ format });

    it.each(photoNames())('%s decodes, fits inside 1600 px, shrinks and keeps SSIM ≥ 0.95', async (name) => {
      const source = readImage(name);
      const stored = await sharp(source).metadata();

      const output = await compressor.compress(source);

      const decoded = await sharp(output.bytes).metadata();
      expect(decoded.format).toBe(SHARP_FORMAT[format]);
      expect(output).toMatchObject({ format, contentType: `image/${format}`, width: decoded.width, height: decoded.height });
      expect(Math.max(output.width, output.height)).toBe(Math.min(1600, Math.max(stored.width, stored.height)));
      expect(output.bytes.length).toBeLessThan(source.length);
      expect(await ssimToSource(source, output)).toBeGreaterThanOrEqual(0.95);
    });
  });
}
