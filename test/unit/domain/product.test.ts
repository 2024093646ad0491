import { describe, expect, it } from 'vitest';
import {
  assembleProduct,
  canonicalJson,
  decodeCursor,
  encodeCursor,
  pendingImage,
  planImageReplacement,
  type ProductImage,
} from '../../../src/domain/index.js';
import { aProductRecord } from '../../support/mothers.js';

const record = aProductRecord({ id: 7, version: 3, user_id: 3 });

const done = (image: ProductImage, url: string): ProductImage => ({ ...image, status: 'done', compressed_url: url });

describe('assembleProduct', () => {
  it('orders images by position and lists only finished compressed URLs in that order', () => {
    const images = [
      done(pendingImage(12, 2, 'https://a.example/c.jpg'), 'https://cdn.example/c.webp'),
      pendingImage(10, 0, 'https://a.example/a.jpg'),
      done(pendingImage(11, 1, 'https://a.example/b.jpg'), 'https://cdn.example/b.webp'),
      { ...pendingImage(13, 3, 'https://a.example/d.jpg'), status: 'failed' as const, error: 'not an image' },
    ];
    const product = assembleProduct(record, images);
    expect(product.product_images).toEqual([
      'https://a.example/a.jpg',
      'https://a.example/b.jpg',
      'https://a.example/c.jpg',
      'https://a.example/d.jpg',
    ]);
    expect(product.compressed_product_images).toEqual(['https://cdn.example/b.webp', 'https://cdn.example/c.webp']);
    expect(product.images.map((image) => image.id)).toEqual([10, 11, 12, 13]);
    expect(product).toMatchObject({ id: 7, version: 3, user_id: 3, product_name: record.product_name, product_price: record.product_price });
  });
});

describe('planImageReplacement', () => {
  it('keeps listed URLs at their new position, adds new ones and removes the rest', () => {
    const current = [pendingImage(1, 0, 'u:a'), pendingImage(2, 1, 'u:b'), pendingImage(3, 2, 'u:c')];
    expect(planImageReplacement(current, ['u:c', 'u:new', 'u:a'])).toEqual({
      keep: [
        { id: 3, position: 0 },
        { id: 1, position: 2 },
      ],
      add: [{ position: 1, source_url: 'u:new' }],
      remove: [2],
    });
    expect(planImageReplacement(current, [])).toEqual({ keep: [], add: [], remove: [1, 2, 3] });
  });

  it('removes extra rows of a URL listed twice, so the new positions never collide with them', () => {
    const current = [pendingImage(1, 0, 'u:a'), pendingImage(2, 1, 'u:a'), pendingImage(3, 2, 'u:b')];
    expect(planImageReplacement(current, ['u:b', 'u:a'])).toEqual({
      keep: [
        { id: 3, position: 0 },
        { id: 1, position: 1 },
      ],
      add: [],
      remove: [2],
    });
  });
});

describe('cursor', () => {
  it('round-trips and rejects anything it did not issue', () => {
    expect(decodeCursor(encodeCursor(123456))).toBe(123456);
    expect(encodeCursor(5)).toMatch(/^[A-Za-z0-9_-]+$/);
    for (const bad of ['', 'not base64!', btoa('{"after":-1}'), btoa('{"after":"5"}'), btoa('null'), btoa('{'), 'x'.repeat(65)]) {
      expect(decodeCursor(bad.replace(/=+$/, ''))).toBeNull();
    }
  });

  it("pages other lists by the keys their guard accepts, and refuses another list's cursor", () => {
    const isHook = (value: unknown): value is string => typeof value === 'string' && value.startsWith('wh_');
    expect(decodeCursor(encodeCursor('wh_0a'), isHook)).toBe('wh_0a');
    expect(decodeCursor(encodeCursor(5), isHook)).toBeNull();
    expect(decodeCursor(encodeCursor('wh_0a'))).toBeNull();
  });
});

describe('canonicalJson', () => {
  it('is independent of key order at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe(canonicalJson({ a: { c: null, d: [2, 1] }, b: 1 }));
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });
});
