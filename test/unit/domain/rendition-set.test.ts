import { describe, expect, it } from 'vitest';
import { lacksRenditions, type RenderedImage } from '../../../src/domain/index.js';

const placeholder = { thumbhash: 'x', color: '#000000' };
const image = (renditions: [number, string][], withPlaceholder = true): RenderedImage => ({
  renditions: renditions.map(([width, format]) => ({ width, format })),
  placeholder: withPlaceholder ? placeholder : null,
});
const expected = { widths: [320, 640, 1024, 1600], formats: ['webp', 'avif'] };
const full = (widths: number[]): [number, string][] => widths.flatMap((width) => [[width, 'webp'], [width, 'avif']] as [number, string][]);

describe('lacksRenditions', () => {
  it('is false for the full set, and for a small image whose set stops below its own width', () => {
    expect(lacksRenditions(image(full([320, 640, 1024, 1600])), expected)).toBe(false);
    expect(lacksRenditions(image(full([320, 640, 800])), expected)).toBe(false);
    expect(lacksRenditions(image(full([200])), expected)).toBe(false);
  });

  it('is true without a placeholder (done before renditions), a format or a width below the largest', () => {
    expect(lacksRenditions(image(full([320, 640, 1024, 1600]), false), expected)).toBe(true);
    expect(lacksRenditions(image([[320, 'webp'], [640, 'webp'], [1024, 'webp'], [1600, 'webp']]), expected)).toBe(true);
    expect(lacksRenditions(image(full([320, 1024, 1600])), expected)).toBe(true);
    expect(lacksRenditions(image([...full([320, 640, 1024]), [1600, 'webp']]), expected)).toBe(false);
    expect(lacksRenditions(image([...full([640, 1024, 1600])]), expected)).toBe(true);
  });
});
