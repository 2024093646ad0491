import { describe, expect, it } from 'vitest';
import {
  isImageUrl,
  LIMITS,
  normalizeEmail,
  parseId,
  productChangeProblems,
  productProblems,
  userIdProblems,
  userProblems,
} from '../../../src/domain/index.js';

const valid = {
  product_name: 'Lamp',
  product_description: '',
  product_images: ['https://img.example.com/a.jpg', 'http://img.example.com/b.png'],
  product_price: 10,
};

describe('productProblems', () => {
  it('accepts a valid product with an empty description and no images', () => {
    expect(productProblems(valid)).toEqual([]);
    expect(productProblems({ ...valid, product_images: [] })).toEqual([]);
  });

  it('names every missing field', () => {
    expect(productProblems({}).map((p) => p.path)).toEqual([
      'product_name',
      'product_description',
      'product_images',
      'product_price',
    ]);
    expect(productProblems({}).every((p) => p.message === 'is required')).toBe(true);
  });

  it.each([
    [{ product_name: '   ' }, 'product_name', 'must not be empty'],
    [{ product_name: 'x'.repeat(LIMITS.nameMaxLength + 1) }, 'product_name', 'must have at most 200 characters'],
    [{ product_name: 7 }, 'product_name', 'must be a string'],
    [{ product_description: 'd'.repeat(LIMITS.descriptionMaxLength + 1) }, 'product_description', 'must have at most 5000 characters'],
    [{ product_images: 'https://a.example/x.jpg' }, 'product_images', 'must be an array of URLs'],
    [{ product_images: Array.from({ length: 11 }, (_, i) => `https://a.example/${i}.jpg`) }, 'product_images', 'must have at most 10 items'],
    [{ product_images: ['ftp://a.example/x.jpg'] }, 'product_images[0]', 'must be an absolute http or https URL'],
    [{ product_images: ['https://a.example/x.jpg', '/relative.jpg'] }, 'product_images[1]', 'must be an absolute http or https URL'],
    [{ product_images: [`https://a.example/${'x'.repeat(2049)}`] }, 'product_images[0]', 'must have at most 2048 characters'],
    [{ product_images: [42] }, 'product_images[0]', 'must be a string'],
    [{ product_images: ['https://a.example/x.jpg', 'https://a.example/x.jpg'] }, 'product_images[1]', 'is listed twice'],
    [{ product_price: 1.234 }, 'product_price', 'must have at most 2 fraction digits'],
  ])('rejects %j at %s', (override, path, message) => {
    expect(productProblems({ ...valid, ...override })).toEqual([{ path, message }]);
  });
});

describe('productChangeProblems', () => {
  it('accepts a subset and checks only what is given', () => {
    expect(productChangeProblems({ product_price: 5 })).toEqual([]);
    expect(productChangeProblems({})).toEqual([]);
    expect(productChangeProblems({ product_price: -1 })).toEqual([
      { path: 'product_price', message: 'must be greater than or equal to 0' },
    ]);
  });
});

describe('users', () => {
  it('checks names and emails', () => {
    expect(userProblems({ name: 'Ada', email: 'ada@example.com' })).toEqual([]);
    expect(userProblems({ name: 'Ada', email: 'ada-at-example' })).toEqual([
      { path: 'email', message: 'must be an email address' },
    ]);
    expect(userProblems({ name: '', email: 'a' })).toEqual([
      { path: 'name', message: 'must not be empty' },
      { path: 'email', message: 'must have at least 3 characters' },
    ]);
    expect(userProblems({}).map((p) => p.path)).toEqual(['name', 'email']);
  });

  it('normalizes email for comparison', () => {
    expect(normalizeEmail('  Ada@Example.COM ')).toBe('ada@example.com');
  });

  it('wants positive integer user ids', () => {
    expect(userIdProblems(3)).toEqual([]);
    for (const bad of [0, -1, 1.5, '3', Number.MAX_SAFE_INTEGER + 1]) {
      expect(userIdProblems(bad)).toEqual([{ path: 'user_id', message: 'must be a positive integer' }]);
    }
  });
});

describe('parseId and isImageUrl', () => {
  it('parses only canonical positive integers within the safe range', () => {
    expect(parseId('42')).toBe(42);
    for (const bad of ['0', '-1', '01', '1.0', 'abc', '', '99999999999999999999', '9007199254740993']) {
      expect(parseId(bad)).toBeNull();
    }
  });

  it('accepts http and https URLs with a host only', () => {
    expect(isImageUrl('https://a.example/x.jpg')).toBe(true);
    expect(isImageUrl('data:image/png;base64,AAAA')).toBe(false);
    expect(isImageUrl('https://')).toBe(false);
    expect(isImageUrl('file:///etc/passwd')).toBe(false);
  });
});
