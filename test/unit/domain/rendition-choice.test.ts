import { describe, expect, it } from 'vitest';
import { chooseRendition, type Rendition } from '../../../src/domain/index.js';

const r = (width: number, format: string): Rendition => ({ width, height: Math.round(width / 1.6), format, bytes: width, url: `u/${width}.${format}` });
const set = [r(320, 'avif'), r(320, 'webp'), r(640, 'avif'), r(640, 'webp'), r(1600, 'avif'), r(1600, 'webp')];
const chosen = (width: number | undefined, accept: string | undefined, renditions = set) => chooseRendition(renditions, width, accept)?.url;

describe('chooseRendition', () => {
  it('takes the narrowest rendition at least as wide as asked, or the widest', () => {
    expect(chosen(1, 'image/webp')).toBe('u/320.webp');
    expect(chosen(320, 'image/webp')).toBe('u/320.webp');
    expect(chosen(321, 'image/webp')).toBe('u/640.webp');
    expect(chosen(5000, 'image/webp')).toBe('u/1600.webp');
    expect(chosen(undefined, 'image/webp')).toBe('u/1600.webp');
  });

  it.each([
    ['image/avif,image/webp,*/*', 'avif'],
    ['image/avif;q=0.9, image/webp', 'avif'],
    ['image/avif;q=0, image/webp', 'webp'],
    ['image/webp,*/*', 'webp'],
    ['*/*', 'webp'],
    ['image/*', 'webp'],
    ['', 'webp'],
    [undefined, 'webp'],
    ['IMAGE/AVIF', 'avif'],
    // Nothing acceptable: the WebP anyway, as an <img> would get it.
    ['image/png', 'webp'],
    ['image/webp;q=0, */*', 'webp'],
  ])('Accept %j gets %s', (accept, format) => {
    expect(chosen(640, accept)).toBe(`u/640.${format}`);
  });

  it('prefers a JPEG or PNG kept as it was over a format the client refuses', () => {
    const kept = [r(320, 'webp'), r(900, 'png')];
    expect(chosen(900, 'image/png', kept)).toBe('u/900.png');
    expect(chosen(900, 'image/webp', kept)).toBe('u/900.png');
    expect(chosen(100, 'image/png', [r(320, 'webp'), r(320, 'jpeg')])).toBe('u/320.jpeg');
    expect(chosen(100, 'image/webp', [r(320, 'jpeg'), r(320, 'webp')])).toBe('u/320.webp');
  });

  it('has nothing to choose without renditions', () => {
    expect(chooseRendition([], 320, 'image/webp')).toBeNull();
  });
});
