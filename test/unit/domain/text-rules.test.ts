import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codePointLength, text, textPattern, unstorableText } from '../../../src/domain/field-rule.js';
import {
  checkListQuery,
  checkRecord,
  IDEMPOTENCY_KEY,
  isImageUrl,
  NEW_PRODUCT,
  NEW_USER,
  PRODUCT_FIELDS,
  recordSchema,
} from '../../../src/domain/index.js';

const EMOJI = '\u{1F600}';
const problemsOf = (result: { ok: true } | { ok: false; error: readonly unknown[] }) => (result.ok ? [] : result.error);
const product = { user_id: 1, product_name: 'Lamp', product_description: '', product_images: [], product_price: 10 };

describe('text lengths count code points, as JSON Schema does', () => {
  it('counts a surrogate pair once and anything else per UTF-16 unit', () => {
    expect(codePointLength('')).toBe(0);
    expect(codePointLength('abc')).toBe(3);
    expect(codePointLength(EMOJI.repeat(3))).toBe(3);
    expect(codePointLength(`a${EMOJI}b`)).toBe(3);
    expect(codePointLength('\ud800')).toBe(1);
    expect(codePointLength('\udc00\ud800')).toBe(2);
    expect(codePointLength('e\u0301')).toBe(2);
  });

  it('takes 200 emoji in a 200-character name and refuses 201', () => {
    expect(checkRecord({ ...product, product_name: EMOJI.repeat(101) }, NEW_PRODUCT).ok).toBe(true);
    expect(checkRecord({ ...product, product_name: EMOJI.repeat(200) }, NEW_PRODUCT).ok).toBe(true);
    expect(problemsOf(checkRecord({ ...product, product_name: EMOJI.repeat(201) }, NEW_PRODUCT))).toEqual([
      { path: 'product_name', message: 'must have at most 200 characters' },
    ]);
  });

  it('counts code points for URLs, emails, the name filter and the blank check', () => {
    const url = `https://images.example/${EMOJI.repeat(2048 - 'https://images.example/'.length)}`;
    expect(isImageUrl(url)).toBe(true);
    expect(problemsOf(checkRecord({ ...product, product_images: [url] }, NEW_PRODUCT))).toEqual([]);
    expect(problemsOf(checkRecord({ ...product, product_images: [`${url}x`] }, NEW_PRODUCT))).toEqual([
      { path: 'product_images[0]', message: 'must have at most 2048 characters' },
    ]);
    expect(checkListQuery({ user_id: 1, product_name: EMOJI.repeat(200) }).ok).toBe(true);
    expect(checkRecord({ name: 'Ada', email: `${EMOJI.repeat(300)}@b.example` }, NEW_USER).ok).toBe(true);
    // One emoji is one character: enough for a name of at least one, not for an email of three.
    expect(checkRecord({ ...product, product_name: ` ${EMOJI} ` }, NEW_PRODUCT).ok).toBe(true);
    expect(problemsOf(checkRecord({ name: 'Ada', email: ` ${EMOJI}${EMOJI} ` }, NEW_USER))).toEqual([
      { path: 'email', message: 'must have at least 3 characters' },
    ]);
    expect(text({ minLength: 3, maxLength: 9 }).check(` ${EMOJI}${EMOJI} `, 'x')).toEqual({
      ok: false,
      error: [{ path: 'x', message: 'must have at least 3 characters' }],
    });
  });
});

describe('text that cannot be stored as sent', () => {
  it('names NUL and unpaired surrogates, and nothing else', () => {
    expect(unstorableText('a\u0000b')).toBe('must not contain the NUL character (U+0000)');
    for (const lone of ['\ud800x', 'x\ud800', '\udc00', 'a\udfffb', '\ud83d\ud83d']) {
      expect(unstorableText(lone), JSON.stringify(lone)).toBe('must not contain an unpaired surrogate (U+D800 to U+DFFF)');
    }
    for (const fine of ['', 'plain', EMOJI, 'e\u0301', '\u0001\u001f\u007f', '\uffff', '\ufeff']) {
      expect(unstorableText(fine), JSON.stringify(fine)).toBeNull();
    }
  });

  const NUL = 'must not contain the NUL character (U+0000)';
  const LONE = 'must not contain an unpaired surrogate (U+D800 to U+DFFF)';
  it.each([
    [{ product_name: 'a\u0000b' }, 'product_name', NUL],
    [{ product_description: '\u0000' }, 'product_description', NUL],
    [{ product_name: '\ud800x' }, 'product_name', LONE],
    [{ product_description: `ok ${EMOJI} then \udc00` }, 'product_description', LONE],
    [{ product_images: ['https://images.example/a.jpg', 'https://images.example/\u0000.jpg'] }, 'product_images[1]', NUL],
    [{ product_images: ['https://images.example/\ud800.jpg'] }, 'product_images[0]', LONE],
  ])('refuses %j in a product at %s', (override, path, message) => {
    expect(problemsOf(checkRecord({ ...product, ...override }, NEW_PRODUCT))).toEqual([{ path, message }]);
  });

  it('refuses them in a user and in the name filter; the Idempotency-Key is printable ASCII anyway', () => {
    expect(problemsOf(checkRecord({ name: 'A\u0000da', email: 'a@b.example\ud800' }, NEW_USER))).toEqual([
      { path: 'name', message: NUL },
      { path: 'email', message: LONE },
    ]);
    expect(problemsOf(checkListQuery({ user_id: 1, product_name: 'lamp\u0000' }))).toEqual([{ path: 'product_name', message: NUL }]);
    expect(IDEMPOTENCY_KEY.check('key\u0000', 'Idempotency-Key').ok).toBe(false);
    expect(IDEMPOTENCY_KEY.check('key\ud800', 'Idempotency-Key').ok).toBe(false);
  });

  it('says an over-long value is too long before anything else', () => {
    expect(problemsOf(checkRecord({ ...product, product_name: '\u0000'.repeat(201) }, NEW_PRODUCT))).toEqual([
      { path: 'product_name', message: 'must have at most 200 characters' },
    ]);
  });
});

describe('the documented patterns say what the checks do', () => {
  // JSON Schema validators match patterns with the u flag, by code point.
  const documented = (schema: { pattern?: string; minLength?: number; maxLength?: number }, value: string) =>
    new RegExp(schema.pattern ?? '', 'u').test(value) &&
    codePointLength(value) >= (schema.minLength ?? 0) &&
    codePointLength(value) <= (schema.maxLength ?? Infinity);
  // Characters the rules treat specially, plus anything at all (lone surrogates aside: the
  // description says so, a pattern cannot).
  const character = fc.oneof(
    fc.constantFrom(' ', '\t', '\n', '\u00a0', '\u2028', '\ufeff', '\u0000', 'a', EMOJI),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  );
  const textOf = (maxLength: number) => fc.array(character, { maxLength }).map((parts) => parts.join(''));

  it.each([
    [0, 8],
    [1, 8],
    [2, 8],
    [3, 8],
  ])('text with minLength %i and maxLength %i', (minLength, maxLength) => {
    const rule = text({ minLength, maxLength });
    fc.assert(
      fc.property(textOf(maxLength + 2), (value) => {
        expect(documented(rule.schema, value), JSON.stringify(value)).toBe(rule.check(value, 'x').ok);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees on the real fields', () => {
    const name = PRODUCT_FIELDS.product_name;
    fc.assert(
      fc.property(textOf(12), (value) => {
        expect(documented(name.schema, value), JSON.stringify(value)).toBe(name.check(value, 'x').ok);
      }),
      { numRuns: 2000 },
    );
    expect(name.schema.pattern).toBe(textPattern(1));
    expect(new RegExp(name.schema.pattern ?? '', 'u').test(' \t ')).toBe(false);
    expect(recordSchema(NEW_PRODUCT).properties?.product_description?.pattern).toBe('^[^\\u0000]*$');
    expect(recordSchema(NEW_PRODUCT).properties?.product_images?.items?.pattern).toBe('^[^\\u0000]*$');
  });

  it('documents the email check, surrounding space and all', () => {
    const { email } = NEW_USER.fields;
    const cases = ['a@b.cc', ' a@b.cc ', 'a@b', 'a b@c.dd', 'a@@b.cc', '@b.cc', 'a@b.c\u0000', `${EMOJI}@${EMOJI}.${EMOJI}`];
    for (const value of cases) {
      const checked = email.check(value, 'email');
      const accepted = checked.ok && (email.refine?.(checked.value, 'email') ?? []).length === 0;
      expect(new RegExp(email.schema.pattern ?? '', 'u').test(value), JSON.stringify(value)).toBe(accepted);
    }
  });
});

describe('ids and prices as documented', () => {
  it('documents user_id up to 2^53 - 1 and refuses more', () => {
    expect(recordSchema(NEW_PRODUCT).properties?.user_id).toMatchObject({ type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
    expect(checkRecord({ ...product, user_id: Number.MAX_SAFE_INTEGER }, NEW_PRODUCT).ok).toBe(true);
    expect(problemsOf(checkRecord({ ...product, user_id: Number.MAX_SAFE_INTEGER + 1 }, NEW_PRODUCT))).toEqual([
      { path: 'user_id', message: 'must be a positive integer' },
    ]);
  });

  it('documents prices without multipleOf, which binary floats defeat', () => {
    const schema = recordSchema(NEW_PRODUCT).properties?.product_price;
    expect(schema).not.toHaveProperty('multipleOf');
    expect(schema).toMatchObject({ type: 'number', 'x-fraction-digits': 2, description: expect.stringContaining('2 fraction digits') });
    // What a validator computing 0.07 / 0.01 refuses, the rule accepts.
    expect(Number.isInteger(0.07 / 0.01)).toBe(false);
    expect(checkRecord({ ...product, product_price: 0.07 }, NEW_PRODUCT).ok).toBe(true);
  });
});
