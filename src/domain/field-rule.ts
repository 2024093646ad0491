import type { FieldError } from './errors.js';
import { err, ok, type Result } from './result.js';

/** The JSON Schema (OpenAPI 3.1) keywords a rule documents itself with. */
export interface JsonSchema {
  readonly type?: 'string' | 'number' | 'integer' | 'array' | 'object';
  readonly items?: JsonSchema;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean;
  readonly minProperties?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly maxItems?: number;
  readonly uniqueItems?: boolean;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly default?: unknown;
  readonly format?: string;
  readonly pattern?: string;
  /** Output only: a request may carry it, and the service ignores it. */
  readonly readOnly?: boolean;
  readonly description?: string;
  readonly example?: unknown;
  /**
   * Most digits after the decimal point, read from the number's shortest decimal form. Not
   * `multipleOf: 0.01`, which validators check with binary floats and get wrong (0.07 / 0.01 is
   * 7.000000000000001).
   */
  readonly 'x-fraction-digits'?: number;
}

/** What documentation adds to a rule's bounds. */
export type Doc = Pick<JsonSchema, 'description' | 'example' | 'default'>;

/**
 * One input field's rule: its kind and bounds as data, the JSON Schema derived from the same
 * numbers, and the check that enforces them. Checks word their problems for clients.
 */
export interface FieldRule<T = unknown, B extends object = object> {
  readonly kind: 'text' | 'email' | 'token' | 'url-list' | 'price' | 'positive-id' | 'integer' | 'cursor';
  readonly bounds: B;
  /** Documents the rule (OpenAPI); never consulted to validate. */
  readonly schema: JsonSchema;
  /** The value when it has the field's type and bounds, else the problems at `path`. */
  check(value: unknown, path: string): Result<T, readonly FieldError[]>;
  /**
   * The second look, taken only once the whole input passed `check`: what needs well-formed
   * input to be worth saying (an email's syntax, a cursor's origin).
   */
  refine?(value: T, path: string): readonly FieldError[];
}

/** The values a record of rules accepts: `{ product_name: string, … }`. */
export type FieldValues<R> = { readonly [K in keyof R]: R[K] extends FieldRule<infer T, object> ? T : never };

/** A failed check with one problem. */
export const problem = (path: string, message: string) => err([{ path, message }]);

/**
 * Characters as JSON Schema's `maxLength` counts them: code points, so an emoji is one (it is
 * two UTF-16 units, which `String.length` counts).
 */
export function codePointLength(value: string): number {
  let count = value.length;
  for (let i = 0; i < value.length - 1; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count -= 1;
        i += 1;
      }
    }
  }
  return count;
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Why text cannot be stored as it was sent, or null. PostgreSQL text cannot hold NUL, and a lone
 * surrogate has no UTF-8 form (it would be stored as U+FFFD, not as sent): both are refused
 * wherever text is accepted.
 */
export function unstorableText(value: string): string | null {
  if (value.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (LONE_SURROGATE.test(value)) return 'must not contain an unpaired surrogate (U+D800 to U+DFFF)';
  return null;
}

/**
 * The `pattern` documenting text with no NUL and, with `minLength`, that many characters between
 * the first and the last that is not white space (what `trim()` keeps). JSON Schema patterns are
 * ECMA-262 expressions matched by code point, as the checks count.
 */
export function textPattern(minLength = 0): string {
  if (minLength === 0) return '^[^\\u0000]*$';
  const solid = '[^\\s\\u0000]';
  if (minLength === 1) return `^\\s*${solid}[^\\u0000]*$`;
  return `^\\s*${solid}[^\\u0000]{${minLength - 2},}${solid}\\s*$`;
}

/** The problem with `value` as text of at most `maxLength` characters, or null; length is looked at first. */
export function textProblem(value: unknown, maxLength: number): string | null {
  if (typeof value !== 'string') return 'must be a string';
  // Code points never outnumber UTF-16 units, so short text needs no counting.
  if (value.length > maxLength && codePointLength(value) > maxLength) return `must have at most ${maxLength} characters`;
  return unstorableText(value);
}

const DOCUMENTED_TEXT = 'Text holds no NUL (U+0000) and no unpaired surrogate; lengths count Unicode code points.';

/**
 * Text of at most `maxLength` characters; with `minLength`, that many besides surrounding
 * space (one: "must not be empty").
 */
export function text(bounds: { minLength?: number; maxLength: number }, doc: Doc = {}): FieldRule<string, typeof bounds> {
  const { minLength = 0, maxLength } = bounds;
  return {
    kind: 'text',
    bounds,
    schema: {
      type: 'string',
      ...(minLength > 0 && { minLength }),
      maxLength,
      pattern: textPattern(minLength),
      ...doc,
      description: [doc.description, minLength > 0 && 'Must not be only white space.', DOCUMENTED_TEXT].filter(Boolean).join(' '),
    },
    check(value, path) {
      // Length first: an over-long value gets that one message, blank or not.
      const found = textProblem(value, maxLength);
      if (found) return problem(path, found);
      const text = value as string;
      if (minLength > 0 && codePointLength(text.trim()) < minLength) {
        return problem(path, minLength === 1 ? 'must not be empty' : `must have at least ${minLength} characters`);
      }
      return ok(text);
    },
  };
}

// Deliberately loose: one @, something on each side, a dot in the domain. Deliverability is
// for a confirmation mail to prove, not a regex.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** An email address: text up to `maxLength`; its syntax is looked at once the input is well-formed. */
export function email(bounds: { minLength: number; maxLength: number }, doc: Doc = {}): FieldRule<string, typeof bounds> {
  const { minLength, maxLength } = bounds;
  return {
    ...text({ maxLength }),
    kind: 'email',
    bounds,
    schema: {
      type: 'string',
      maxLength,
      format: 'email',
      // EMAIL, with the surrounding space the check trims and without NUL.
      pattern: '^\\s*[^\\s@\\u0000]+@[^\\s@\\u0000]+\\.[^\\s@\\u0000]+\\s*$',
      ...doc,
      description: [doc.description, 'One @, text on each side, a dot in the domain; surrounding space is trimmed.', DOCUMENTED_TEXT]
        .filter(Boolean)
        .join(' '),
    },
    refine(value, path) {
      const trimmed = value.trim();
      if (codePointLength(trimmed) < minLength) return [{ path, message: `must have at least ${minLength} characters` }];
      return EMAIL.test(trimmed) ? [] : [{ path, message: 'must be an email address' }];
    },
  };
}

/** Text of 1 to `maxLength` characters matching `pattern`, which `characters` names. */
export function token(bounds: { maxLength: number; pattern: RegExp }, characters: string): FieldRule<string, typeof bounds> {
  const { maxLength, pattern } = bounds;
  return {
    kind: 'token',
    bounds,
    schema: { type: 'string', maxLength, pattern: pattern.source },
    check: (value, path) =>
      typeof value === 'string' && codePointLength(value) <= maxLength && pattern.test(value)
        ? ok(value)
        : problem(path, `must be 1 to ${maxLength} ${characters}`),
  };
}
