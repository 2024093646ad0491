import { describe, expect, it } from 'vitest';
import {
  checkRecord,
  IDEMPOTENCY_KEY,
  isImageUrl,
  NEW_PRODUCT,
  NEW_USER,
  normalizeEmail,
  parseId,
  PRODUCT_CHANGES,
  PRODUCT_FIELDS,
  PRODUCT_OWNER,
  PRODUCT_REPLACEMENT,
  recordSchema,
} from '../../../src/domain/index.js';

const valid = {
  product_name: 'Lamp',
  product_description: '',
  product_images: ['https://img.example.com/a.jpg', 'http://img.example.com/b.png'],
  product_price: 10,
};

/** The problems `checkRecord` finds, [] when it accepts. */
const problemsOf = (result: ReturnType<typeof checkRecord>) => (result.ok ? [] : result.error);

describe('product fields (PUT: every field required)', () => {
  it('accepts a valid product with an empty description and no images, and returns only its fields', () => {
    expect(checkRecord(valid, PRODUCT_REPLACEMENT)).toEqual({ ok: true, value: valid });
    expect(problemsOf(checkRecord({ ...valid, product_images: [] }, PRODUCT_REPLACEMENT))).toEqual([]);
  });

  it('names every missing field', () => {
    const problems = problemsOf(checkRecord({}, PRODUCT_REPLACEMENT));
    expect(problems.map((p) => p.path)).toEqual(['product_name', 'product_description', 'product_images', 'product_price']);
    expect(problems.every((p) => p.message === 'is required')).toBe(true);
  });

  const { maxLength: nameMax } = PRODUCT_FIELDS.product_name.bounds;
  const { maxLength: descriptionMax } = PRODUCT_FIELDS.product_description.bounds;
  it.each([
    [{ product_name: '   ' }, 'product_name', 'must not be empty'],
    [{ product_name: 'x'.repeat(nameMax + 1) }, 'product_name', 'must have at most 200 characters'],
    // Length is looked at first: an over-long blank name gets that one message.
    [{ product_name: ' '.repeat(nameMax + 1) }, 'product_name', 'must have at most 200 characters'],
    [{ product_name: 7 }, 'product_name', 'must be a string'],
    [{ product_name: null }, 'product_name', 'must be a string'],
    [{ product_description: 'd'.repeat(descriptionMax + 1) }, 'product_description', 'must have at most 5000 characters'],
    [{ product_images: 'https://a.example/x.jpg' }, 'product_images', 'must be an array of URLs'],
    [{ product_images: Array.from({ length: 11 }, (_, i) => `https://a.example/${i}.jpg`) }, 'product_images', 'must have at most 10 items'],
    // Too many items is all there is to say: the items are not looked at.
    [{ product_images: Array.from({ length: 11 }, () => 42) }, 'product_images', 'must have at most 10 items'],
    [{ product_images: ['ftp://a.example/x.jpg'] }, 'product_images[0]', 'must be an absolute http or https URL'],
    [{ product_images: ['https://a.example/x.jpg', '/relative.jpg'] }, 'product_images[1]', 'must be an absolute http or https URL'],
    [{ product_images: [`https://a.example/${'x'.repeat(2049)}`] }, 'product_images[0]', 'must have at most 2048 characters'],
    [{ product_images: [42] }, 'product_images[0]', 'must be a string'],
    [{ product_images: ['https://a.example/x.jpg', 'https://a.example/x.jpg'] }, 'product_images[1]', 'is listed twice'],
    [{ product_price: 1.234 }, 'product_price', 'must have at most 2 fraction digits'],
    [{ product_price: '10' }, 'product_price', 'must be a number'],
    [{ colour: 'red' }, 'colour', 'is not an accepted field'],
    [{ user_id: 0 }, 'user_id', 'must be a positive integer'],
    [{ owner: 1 }, 'owner', 'is not an accepted field'],
  ])('rejects %j at %s', (override, path, message) => {
    expect(problemsOf(checkRecord({ ...valid, ...override }, PRODUCT_REPLACEMENT))).toEqual([{ path, message }]);
  });

  it('reports repeats among text items after the items, URLs or not, and not when an item is no text', () => {
    const problems = (product_images: unknown[]) => problemsOf(checkRecord({ ...valid, product_images }, PRODUCT_REPLACEMENT));
    expect(problems(['ftp://a', 'https://b.example', 'ftp://a'])).toEqual([
      { path: 'product_images[0]', message: 'must be an absolute http or https URL' },
      { path: 'product_images[2]', message: 'must be an absolute http or https URL' },
      { path: 'product_images[2]', message: 'is listed twice' },
    ]);
    expect(problems(['ftp://a', 'ftp://a', 3]).map((p) => p.message)).toEqual([
      'must be an absolute http or https URL',
      'must be an absolute http or https URL',
      'must be a string',
    ]);
  });

  it('keeps field problems in field order with unknown keys last, each at its own path', () => {
    expect(problemsOf(checkRecord({ b: 1, product_name: 3, a: 2, product_price: -1 }, PRODUCT_CHANGES))).toEqual([
      { path: 'product_name', message: 'must be a string' },
      { path: 'product_price', message: 'must be greater than or equal to 0' },
      { path: 'b', message: 'is not an accepted field' },
      { path: 'a', message: 'is not an accepted field' },
    ]);
  });

  it.each([
    [[], 'array'],
    [null, 'null'],
    ['text', 'string'],
    [5, 'number'],
    [true, 'boolean'],
  ])('refuses a body that is not an object: %j', (input, type) => {
    expect(problemsOf(checkRecord(input, NEW_PRODUCT))).toEqual([{ path: '', message: `Invalid input: expected object, received ${type}` }]);
  });

  it('hands back its own copy of the image list', () => {
    const images = ['https://a.example/x.jpg'];
    const result = checkRecord({ ...valid, product_images: images }, PRODUCT_REPLACEMENT);
    images.push('https://a.example/y.jpg');
    expect(result.ok && result.value.product_images).toEqual(['https://a.example/x.jpg']);
  });
});

describe('product changes (PATCH)', () => {
  it('accepts a subset and checks only what is given', () => {
    expect(checkRecord({ product_price: 5 }, PRODUCT_CHANGES)).toEqual({ ok: true, value: { product_price: 5 } });
    expect(problemsOf(checkRecord({ product_price: -1 }, PRODUCT_CHANGES))).toEqual([
      { path: 'product_price', message: 'must be greater than or equal to 0' },
    ]);
  });

  it('needs at least one field, unless something else is already wrong', () => {
    expect(problemsOf(checkRecord({}, PRODUCT_CHANGES))).toEqual([
      { path: '', message: 'must contain at least one of product_name, product_description, product_images, product_price' },
    ]);
    expect(problemsOf(checkRecord({ owner: 2 }, PRODUCT_CHANGES))).toEqual([{ path: 'owner', message: 'is not an accepted field' }]);
    // The owner and the output-only fields are not changes.
    expect(problemsOf(checkRecord({ user_id: 2, id: 3, images: [] }, PRODUCT_CHANGES))).toEqual([
      { path: '', message: 'must contain at least one of product_name, product_description, product_images, product_price' },
    ]);
  });
});

describe('new product, owner and idempotency key', () => {
  it('wants positive integer user ids, checked before the fields', () => {
    expect(PRODUCT_OWNER.check(3, 'user_id')).toEqual({ ok: true, value: 3 });
    for (const bad of [0, -1, 1.5, '3', Number.MAX_SAFE_INTEGER + 1]) {
      expect(PRODUCT_OWNER.check(bad, 'user_id')).toEqual({ ok: false, error: [{ path: 'user_id', message: 'must be a positive integer' }] });
    }
    expect(problemsOf(checkRecord({ user_id: 0 }, NEW_PRODUCT)).map((p) => p.path)).toEqual(['user_id', ...Object.keys(PRODUCT_FIELDS)]);
  });

  it('takes 1 to 255 printable ASCII characters as a key', () => {
    for (const key of ['k', 'order-1', 'k'.repeat(255)]) expect(IDEMPOTENCY_KEY.check(key, 'Idempotency-Key').ok).toBe(true);
    for (const key of ['', 'has space', 'é', 'k'.repeat(256), 5]) {
      expect(IDEMPOTENCY_KEY.check(key, 'Idempotency-Key')).toEqual({
        ok: false,
        error: [{ path: 'Idempotency-Key', message: 'must be 1 to 255 printable ASCII characters' }],
      });
    }
  });
});

describe('users', () => {
  it('checks names and emails; an email is looked at once the rest is well-formed', () => {
    expect(checkRecord({ name: 'Ada', email: 'ada@example.com' }, NEW_USER)).toMatchObject({ ok: true });
    expect(problemsOf(checkRecord({ name: 'Ada', email: 'ada-at-example' }, NEW_USER))).toEqual([
      { path: 'email', message: 'must be an email address' },
    ]);
    expect(problemsOf(checkRecord({ name: 'Ada', email: ' a ' }, NEW_USER))).toEqual([
      { path: 'email', message: 'must have at least 3 characters' },
    ]);
    expect(problemsOf(checkRecord({ name: '', email: 'a' }, NEW_USER))).toEqual([{ path: 'name', message: 'must not be empty' }]);
    expect(problemsOf(checkRecord({ email: 'not-an-email' }, NEW_USER))).toEqual([{ path: 'name', message: 'is required' }]);
    expect(problemsOf(checkRecord({ name: 'Ada', email: `${'x'.repeat(316)}@b.cc` }, NEW_USER))).toEqual([
      { path: 'email', message: 'must have at most 320 characters' },
    ]);
    expect(problemsOf(checkRecord({}, NEW_USER)).map((p) => p.path)).toEqual(['name', 'email']);
  });

  it('normalizes email for comparison', () => {
    expect(normalizeEmail('  Ada@Example.COM ')).toBe('ada@example.com');
  });
});

describe('documentation of the rules', () => {
  it('derives each body schema from the same bounds the checks use', () => {
    expect(recordSchema(NEW_PRODUCT)).toMatchObject({
      type: 'object',
      required: ['user_id', 'product_name', 'product_description', 'product_images', 'product_price'],
      additionalProperties: false,
      properties: {
        user_id: { type: 'integer', minimum: 1 },
        product_name: { type: 'string', minLength: 1, maxLength: PRODUCT_FIELDS.product_name.bounds.maxLength },
        product_description: { type: 'string', maxLength: 5000 },
        product_images: { type: 'array', maxItems: 10, uniqueItems: true, items: { type: 'string', maxLength: 2048, format: 'uri' } },
        product_price: { type: 'number', minimum: 0, maximum: 99_999_999.99, 'x-fraction-digits': 2 },
      },
    });
    expect(recordSchema(PRODUCT_CHANGES)).not.toHaveProperty('required');
    expect(recordSchema(PRODUCT_CHANGES)).toMatchObject({ minProperties: 1, additionalProperties: false });
    expect(recordSchema(NEW_USER).properties?.email).toEqual({
      type: 'string',
      maxLength: 320,
      format: 'email',
      pattern: '^\\s*[^\\s@\\u0000]+@[^\\s@\\u0000]+\\.[^\\s@\\u0000]+\\s*$',
      description: expect.stringMatching(/^Unique regardless of case; stored lower-cased\. /),
      example: 'ada@lovelace.example',
    });
    expect(IDEMPOTENCY_KEY.schema).toEqual({ type: 'string', maxLength: 255, pattern: '^[\\x21-\\x7e]+$' });
  });
});

describe('parseId and isImageUrl', () => {
  it('parses only canonical positive integers within the safe range', () => {
    expect(parseId('42')).toBe(42);
    for (const bad of ['0', '-1', '01', '1.0', 'abc', '', '99999999999999999999', '9007199254740993']) {
      expect(parseId(bad)).toBeNull();
    }
  });

  it('accepts http and https URLs with a host only, within the length bound', () => {
    expect(isImageUrl('https://a.example/x.jpg')).toBe(true);
    expect(isImageUrl('data:image/png;base64,AAAA')).toBe(false);
    expect(isImageUrl('https://')).toBe(false);
    expect(isImageUrl('file:///etc/passwd')).toBe(false);
    expect(isImageUrl(`https://a.example/${'x'.repeat(2048)}`)).toBe(false);
  });
});
