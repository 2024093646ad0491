import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contentKey, contentTypeOf } from '../../../src/application/index.js';

describe('contentKey', () => {
  it('is the SHA-256 of the bytes under a prefix, with the format extension', async () => {
    const data = new TextEncoder().encode('hello');
    const hex = createHash('sha256').update(data).digest('hex');
    expect(await contentKey('images', data, 'webp')).toBe(`images/${hex}.webp`);
    expect(await contentKey('originals', data, 'jpeg')).toBe(`originals/${hex}.jpg`);
    expect(await contentKey('images', new Uint8Array([1]), 'webp')).not.toBe(await contentKey('images', new Uint8Array([2]), 'webp'));
  });

  it('maps formats to content types', () => {
    expect(contentTypeOf('webp')).toBe('image/webp');
    expect(contentTypeOf('svg')).toBe('image/svg+xml');
  });
});
