import fc from 'fast-check';

/** A (dereferenced) JSON Schema as OpenAPI 3.1 writes it. */
export type Schema = {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  minProperties?: number;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  readOnly?: boolean;
  allOf?: Schema[];
  'x-fraction-digits'?: number;
};

/** Matches only an unpaired surrogate: in `u` mode a pair is one code point. */
export const LONE_SURROGATE = /[\ud800-\udfff]/u;

const codePoints = (text: string) => [...text].length;

/**
 * Text that stresses a decoder: NUL, lone and paired surrogates, combining marks, right-to-left
 * and zero-width characters, a BOM, emoji sequences, SQL and HTML metacharacters.
 */
export const EDGE_TEXT = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\ud83d\ude00',
  '👩‍👩‍👧‍👦',
  'e\u0301\u0301\u0301',
  '\u202eevil',
  '\u200b',
  '\ufeff',
  '\t\r\n',
  "'; drop table products; --",
  '<script>alert(1)</script>',
  '%00',
  '%',
  '\\',
  '${7*7}',
  'null',
  'İ',
  'ﬀ',
] as const;

/** Text of any kind: the edge cases above, random unicode, or a long run of one. */
export const anyText = (maxLength = 300): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...EDGE_TEXT) },
    { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...EDGE_TEXT), fc.integer({ min: 200, max: 6000 })).map(([text, times]) => (text || 'x').repeat(times)) },
  );

/** Numbers a parser mishandles: huge, tiny, negative zero, beyond 2^53, fractions. */
export const EDGE_NUMBERS = [0, -0, -1, 0.5, 1e-7, 0.1 + 0.2, 19.999, 2 ** 31, 2 ** 53, 2 ** 53 + 2, 1e21, 1e308, -1e308, Number.MIN_VALUE] as const;

const hasType = (schema: Schema, type: string) => (Array.isArray(schema.type) ? schema.type.includes(type) : schema.type === type);

/** A loopback image URL: accepted by validation, refused by the fetcher's address policy, so nothing leaves the machine. */
const imageUrl = fc
  .tuple(
    fc.constantFrom('http', 'https'),
    fc.constantFrom('127.0.0.1', 'localhost', '[::1]', '127.8.9.10'),
    fc.array(fc.stringMatching(/^[a-z0-9._~-]{1,12}$/), { minLength: 1, maxLength: 4 }),
    fc.constantFrom('', '.jpg', '.png', '.webp', '?w=1&h=2', '#top'),
  )
  .map(([scheme, host, segments, tail]) => `${scheme}://${host}/${segments.join('/')}${tail}`);

const email = fc
  .tuple(fc.stringMatching(/^[a-z0-9._+-]{1,20}$/), fc.uuid(), fc.constantFrom('example', 'example.org'))
  .map(([local, unique, domain]) => `${local}.${unique.slice(0, 8)}@${domain}.test`);

function validString(schema: Schema): fc.Arbitrary<string> {
  if (schema.format === 'uri') return imageUrl;
  if (schema.format === 'email') return email;
  const min = schema.minLength ?? 0;
  const max = Math.min(schema.maxLength ?? 300, 300);
  const pattern = schema.pattern === undefined ? undefined : new RegExp(schema.pattern, 'u');
  return fc
    .oneof(
      fc.string({ unit: 'grapheme', minLength: min, maxLength: max }),
      fc.string({ unit: fc.constantFrom('a', 'Z', '9', ' ', 'é', '€', '😀', '中'), minLength: min, maxLength: max }),
      fc.constant('x'.repeat(Math.max(min, schema.maxLength ?? 1))),
    )
    .filter((text) => codePoints(text) >= min && codePoints(text) <= (schema.maxLength ?? Infinity) && (pattern?.test(text) ?? true) && !LONE_SURROGATE.test(text));
}

function validNumber(schema: Schema): fc.Arbitrary<number> {
  const min = schema.minimum ?? -1e9;
  const max = schema.maximum ?? 1e9;
  if (hasType(schema, 'integer')) {
    return fc.oneof(fc.integer({ min, max: Math.min(max, min + 10_000) }), fc.constantFrom(min, max), fc.maxSafeInteger().filter((n) => n >= min && n <= max));
  }
  const digits = schema['x-fraction-digits'];
  if (digits !== undefined) {
    const scale = 10 ** digits;
    const cents = fc.oneof(fc.integer({ min: Math.ceil(min * scale), max: Math.floor(max * scale) }), fc.constantFrom(Math.ceil(min * scale), Math.floor(max * scale)));
    return cents.map((units) => Number((units / scale).toFixed(digits)));
  }
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

function validObject(schema: Schema): fc.Arbitrary<Record<string, unknown>> {
  const writable = Object.entries(schema.properties ?? {}).filter(([, property]) => !property.readOnly);
  const required = new Set(schema.required ?? []);
  const model = Object.fromEntries(writable.map(([name, property]) => [name, validValue(property)]));
  const requiredKeys = writable.map(([name]) => name).filter((name) => required.has(name));
  return fc
    .record(model, { requiredKeys })
    .filter((value) => Object.keys(value).length >= (schema.minProperties ?? 0));
}

/** Values the schema accepts (as the document states it; rules it does not state may still refuse them). */
export function validValue(schema: Schema): fc.Arbitrary<unknown> {
  if (schema.allOf) return validValue(Object.assign({}, ...schema.allOf) as Schema);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (hasType(schema, 'object')) return validObject(schema);
  if (hasType(schema, 'array')) {
    const item = validValue(schema.items ?? {});
    const options = { minLength: schema.minItems ?? 0, maxLength: schema.maxItems ?? 5 };
    return schema.uniqueItems ? fc.uniqueArray(item, { ...options, selector: (value) => JSON.stringify(value) }) : fc.array(item, options);
  }
  if (hasType(schema, 'integer') || hasType(schema, 'number')) return validNumber(schema);
  if (hasType(schema, 'string')) return validString(schema);
  if (hasType(schema, 'boolean')) return fc.boolean();
  return fc.jsonValue({ maxDepth: 2 });
}

/** Any JSON value at all, deep nesting and huge numbers included. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(...EDGE_NUMBERS),
  anyText(),
  fc.integer({ min: 1, max: 3000 }).map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown),
);

/** A value of the wrong kind for `schema`, or one just outside its bounds. */
export function wrongValue(schema: Schema): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [anyJson, fc.constantFrom(null, true, [], {}, '1', 1)];
  if (hasType(schema, 'string')) {
    options.push(anyText(), fc.constant('x'.repeat((schema.maxLength ?? 300) + 1)), fc.constant('😀'.repeat((schema.maxLength ?? 300) + 1)));
  }
  if (hasType(schema, 'integer') || hasType(schema, 'number')) {
    options.push(fc.constantFrom(...EDGE_NUMBERS), fc.double(), fc.constant((schema.maximum ?? 0) + 1), fc.constant((schema.minimum ?? 0) - 1), fc.constant('12'));
  }
  if (hasType(schema, 'array')) {
    options.push(
      fc.array(anyJson, { maxLength: 20 }),
      fc.constant(Array.from({ length: (schema.maxItems ?? 10) + 1 }, (_, i) => `http://127.0.0.1/${i}.jpg`)),
      fc.constant(['http://127.0.0.1/a.jpg', 'http://127.0.0.1/a.jpg']),
    );
  }
  return fc.oneof(...options);
}

/** An object with one flaw or a few: a field of the wrong kind, a required field missing, an unknown field. */
export function hostileObject(schema: Schema): fc.Arbitrary<unknown> {
  const names = Object.keys(schema.properties ?? {});
  const flaws = fc.array(
    fc.oneof(
      ...names.map((name) => wrongValue(schema.properties![name]!).map((value) => ({ set: name, value }))),
      fc.constantFrom(...(names.length ? names : ['x'])).map((name) => ({ drop: name })),
      fc.tuple(fc.oneof(anyText(40), fc.constantFrom('__proto__', 'constructor', 'toString')), anyJson).map(([name, value]) => ({ set: name, value })),
    ),
    { minLength: 1, maxLength: 3 },
  );
  return fc.tuple(validObject(schema), flaws).map(([base, changes]) => {
    const value: Record<string, unknown> = { ...base };
    for (const change of changes) {
      if ('drop' in change) delete value[change.drop];
      else Object.defineProperty(value, change.set, { value: change.value, enumerable: true, configurable: true, writable: true });
    }
    return value;
  });
}
