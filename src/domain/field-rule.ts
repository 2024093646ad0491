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
  readonly multipleOf?: number;
  readonly default?: unknown;
  readonly format?: string;
  readonly pattern?: string;
  readonly description?: string;
  readonly example?: unknown;
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
 * Text of at most `maxLength` characters; with `minLength`, that many besides surrounding
 * space (one: "must not be empty").
 */
export function text(bounds: { minLength?: number; maxLength: number }, doc: Doc = {}): FieldRule<string, typeof bounds> {
  const { minLength = 0, maxLength } = bounds;
  return {
    kind: 'text',
    bounds,
    schema: { type: 'string', ...(minLength > 0 && { minLength }), maxLength, ...doc },
    check(value, path) {
      if (typeof value !== 'string') return problem(path, 'must be a string');
      // Length first: an over-long value gets that one message, blank or not.
      if (value.length > maxLength) return problem(path, `must have at most ${maxLength} characters`);
      if (value.trim().length < minLength) {
        return problem(path, minLength === 1 ? 'must not be empty' : `must have at least ${minLength} characters`);
      }
      return ok(value);
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
    schema: { type: 'string', maxLength, format: 'email', ...doc },
    refine(value, path) {
      const trimmed = value.trim();
      if (trimmed.length < minLength) return [{ path, message: `must have at least ${minLength} characters` }];
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
      typeof value === 'string' && value.length <= maxLength && pattern.test(value)
        ? ok(value)
        : problem(path, `must be 1 to ${maxLength} ${characters}`),
  };
}
