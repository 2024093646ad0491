import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  resolveSettings,
  SharpImageCompressor,
  type SharpCompressorOptions,
  type SharpOutputFormat,
} from '../../../src/adapters/sharp/index.js';

describe('SharpImageCompressor settings', () => {
  // First in this file, which runs in its own process: importing the adapter touched nothing.
  it('configures sharp only when constructed, not at import', async () => {
    expect(sharp.cache()).toMatchObject({ items: { max: 100 } });
    sharp.concurrency(2);

    const compressor = new SharpImageCompressor();

    expect(sharp.concurrency()).toBe(1);
    expect(sharp.cache()).toMatchObject({ memory: { max: 0 }, files: { max: 0 }, items: { max: 0 } });
    await expect(compressor.close()).resolves.toBeUndefined();
  });

  it('defaults to WebP 82 at effort 4 within 1600 px and 50 MP, SVG refused', () => {
    expect(new SharpImageCompressor().settings).toEqual({
      maxEdge: 1600,
      format: 'webp',
      quality: 82,
      effort: 4,
      maxPixels: 50_000_000,
      allowSvg: false,
      failOn: 'error',
      encoding: { format: 'webp', options: { quality: 82, effort: 4 } },
      fallbacks: [
        { format: 'webp', options: { lossless: true, effort: 4 } },
        { format: 'webp', options: { quality: 62, effort: 4 } },
      ],
      renditionWidths: [320, 640, 1024, 1600],
      smallerEncoding: { format: 'webp', options: { quality: 82, effort: 2 } },
      extraEncodings: [],
    });
  });

  it('sorts and dedupes rendition widths, bounding them by maxEdge, and adds each extra format at its default', () => {
    expect(resolveSettings({ maxEdge: 1000, renditionWidths: [1600, 320, 640, 320], renditionFormats: ['webp', 'avif', 'avif'] })).toMatchObject({
      renditionWidths: [320, 640, 1000],
      extraEncodings: [{ format: 'avif', options: { quality: 50, effort: 2 } }],
    });
    expect(resolveSettings({ effort: 1 }).smallerEncoding).toEqual({ format: 'webp', options: { quality: 82, effort: 1 } });
    expect(resolveSettings({ format: 'jpeg' }).smallerEncoding).toEqual({ format: 'jpeg', options: { quality: 82, mozjpeg: true } });
    expect(resolveSettings({ format: 'avif', renditionFormats: ['webp'] }).extraEncodings).toEqual([
      { format: 'webp', options: { quality: 82, effort: 4 } },
    ]);
  });

  it('uses AVIF 50 at effort 2, the measured speed/size balance', () => {
    expect(resolveSettings({ format: 'avif' })).toMatchObject({
      quality: 50,
      effort: 2,
      encoding: { format: 'avif', options: { quality: 50, effort: 2 } },
      fallbacks: [{ format: 'avif', options: { quality: 38, effort: 2 } }],
    });
  });

  it('uses mozjpeg at 82 for JPEG, which has no effort', () => {
    expect(resolveSettings({ format: 'jpeg' })).toMatchObject({
      effort: undefined,
      encoding: { format: 'jpeg', options: { quality: 82, mozjpeg: true } },
      fallbacks: [{ format: 'jpeg', options: { quality: 62, mozjpeg: true } }],
    });
  });

  it('takes every option', () => {
    const options = { maxEdge: 800, format: 'avif', quality: 60, effort: 5, maxPixels: 1_000_000, allowSvg: true } as const;
    expect(resolveSettings(options)).toMatchObject(options);
  });

  it.each<[SharpCompressorOptions, RegExp]>([
    [{ quality: 0 }, /quality/],
    [{ quality: 80.5 }, /quality/],
    [{ effort: 7 }, /effort/],
    [{ format: 'avif', effort: 10 }, /effort/],
    [{ format: 'jpeg', effort: 3 }, /effort applies to webp and avif/],
    [{ maxEdge: 20_000 }, /maxEdge/],
    [{ maxPixels: 0 }, /maxPixels/],
    [{ format: 'gif' as SharpOutputFormat }, /unknown format gif/],
    [{ renditionWidths: [] }, /at least one width/],
    [{ renditionWidths: [0] }, /renditionWidths/],
    [{ renditionFormats: ['png' as 'webp'] }, /unknown rendition format png/],
  ])('rejects %o at construction', (options, message) => {
    expect(() => new SharpImageCompressor(options)).toThrow(message);
  });
});
