import type { FieldError } from './errors.js';
import type { FieldRule, FieldValues, JsonSchema } from './field-rule.js';
import { LIMITS } from './limits.js';
import { priceProblem } from './price.js';
import { err, ok, type Result } from './result.js';
import { isHttpUrl } from './url-list.js';

// An input record is checked in two stages. The first checks its shape: that it is an object,
// each field's type and bounds, required fields, unknown keys. Only input of the right shape
// gets the second, whose problems would be noise beside a shape problem (an email's syntax, a
// cursor's origin, one bound against another).

export type Rules = Readonly<Record<string, FieldRule<unknown, object>>>;

/** The rules of one input record (a request body, a query) and what the record as a whole needs. */
export interface RecordSpec<R extends Rules = Rules, K extends keyof R = keyof R> {
  readonly fields: R;
  /** Fields that must be given; the others may be left out. */
  readonly required: readonly K[];
  /** Refuse keys outside `fields` ("is not an accepted field") rather than ignore them. */
  readonly closed: boolean;
  /** Refuse a record that gives none of the fields (a change that changes nothing). */
  readonly nonEmpty?: boolean;
}

/** The values of a record that passed its spec: the required fields and whichever others it gave. */
export type RecordValues<R extends Rules, K extends keyof R> = FieldValues<Pick<R, K>> & Partial<FieldValues<R>>;

/** A closed record spec; `required` defaults to every field. */
export const recordSpec = <R extends Rules, const K extends keyof R = keyof R>(
  fields: R,
  options: { required?: readonly K[]; closed?: boolean; nonEmpty?: boolean } = {},
): RecordSpec<R, K> => ({
  fields,
  required: options.required ?? (Object.keys(fields) as K[]),
  closed: options.closed ?? true,
  ...(options.nonEmpty && { nonEmpty: true }),
});

// Worded as clients have always read it for a body that is not an object.
const typeName = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** Stage one: the values of the fields that passed, and every shape problem. */
export function checkFields<R extends Rules, K extends keyof R>(
  input: unknown,
  spec: RecordSpec<R, K>,
): { values: Partial<FieldValues<R>>; problems: FieldError[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { values: {}, problems: [{ path: '', message: `Invalid input: expected object, received ${typeName(input)}` }] };
  }
  const given = input as Record<string, unknown>;
  const values: Record<string, unknown> = {};
  const problems: FieldError[] = [];
  for (const [name, rule] of Object.entries(spec.fields)) {
    const value = Object.hasOwn(given, name) ? given[name] : undefined;
    if (value === undefined) {
      if ((spec.required as readonly string[]).includes(name)) problems.push({ path: name, message: 'is required' });
      continue;
    }
    const checked = rule.check(value, name);
    if (checked.ok) values[name] = checked.value;
    else problems.push(...checked.error);
  }
  if (spec.closed) {
    for (const key of Object.keys(given)) {
      if (!Object.hasOwn(spec.fields, key)) problems.push({ path: key, message: 'is not an accepted field' });
    }
  }
  if (spec.nonEmpty && problems.length === 0 && Object.keys(values).length === 0) {
    problems.push({ path: '', message: `must contain at least one of ${Object.keys(spec.fields).join(', ')}` });
  }
  return { values: values as Partial<FieldValues<R>>, problems };
}

/** Stage two: the fields' second looks (`FieldRule.refine`), for values that passed stage one. */
export const refineFields = <R extends Rules>(values: Partial<FieldValues<R>>, spec: RecordSpec<R, keyof R>): FieldError[] =>
  Object.entries(spec.fields).flatMap(([name, rule]) => {
    const value = (values as Record<string, unknown>)[name];
    return value === undefined || !rule.refine ? [] : rule.refine(value, name);
  });

/** Both stages: the record's values, or the problems of the first stage that found any. */
export function checkRecord<R extends Rules, K extends keyof R>(
  input: unknown,
  spec: RecordSpec<R, K>,
): Result<RecordValues<R, K>, readonly FieldError[]> {
  const { values, problems } = checkFields(input, spec);
  const found = problems.length > 0 ? problems : refineFields(values, spec);
  // Stage one saw every required field, so the values hold them.
  return found.length > 0 ? err(found) : ok(values as RecordValues<R, K>);
}

/** The JSON Schema documenting a record spec, from its fields' own schemas. */
export const recordSchema = (spec: RecordSpec): JsonSchema => ({
  type: 'object',
  properties: Object.fromEntries(Object.entries(spec.fields).map(([name, rule]) => [name, rule.schema])),
  ...(spec.required.length > 0 && { required: spec.required }),
  ...(spec.closed && { additionalProperties: false }),
  ...(spec.nonEmpty && { minProperties: 1 }),
});

/** A positive integer id from path or query text, or null. */
export function parseId(text: string): number | null {
  if (!/^[1-9]\d{0,15}$/.test(text)) return null;
  const id = Number(text);
  return Number.isSafeInteger(id) ? id : null;
}

// The checks the use cases and HTTP schemas still call; the rule records above replace them.

type Check = (value: unknown, path: string) => FieldError[];

const textCheck =
  (min: number, max: number): Check =>
  (value, path) => {
    if (typeof value !== 'string') return [{ path, message: 'must be a string' }];
    const length = value.trim().length;
    if (length < min) return [{ path, message: min === 1 ? 'must not be empty' : `must have at least ${min} characters` }];
    if (value.length > max) return [{ path, message: `must have at most ${max} characters` }];
    return [];
  };

const imageUrls: Check = (value, path) => {
  if (!Array.isArray(value)) return [{ path, message: 'must be an array of URLs' }];
  if (value.length > LIMITS.imagesMax) {
    return [{ path, message: `must have at most ${LIMITS.imagesMax} items` }];
  }
  const seen = new Set<string>();
  return value.flatMap((item: unknown, index): FieldError[] => {
    const at = `${path}[${index}]`;
    if (typeof item !== 'string') return [{ path: at, message: 'must be a string' }];
    if (item.length > LIMITS.imageUrlMaxLength) {
      return [{ path: at, message: `must have at most ${LIMITS.imageUrlMaxLength} characters` }];
    }
    if (!isHttpUrl(item)) return [{ path: at, message: 'must be an absolute http or https URL' }];
    if (seen.has(item)) return [{ path: at, message: 'is listed twice' }];
    seen.add(item);
    return [];
  });
};

const positiveIdCheck: Check = (value, path) =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0
    ? []
    : [{ path, message: 'must be a positive integer' }];

const priceCheck: Check = (value, path) => {
  const problem = priceProblem(value, path);
  return problem ? [problem] : [];
};

const PRODUCT_CHECKS: Record<string, Check> = {
  product_name: textCheck(1, LIMITS.nameMaxLength),
  product_description: textCheck(0, LIMITS.descriptionMaxLength),
  product_images: imageUrls,
  product_price: priceCheck,
};

function run(input: Record<string, unknown>, checks: Record<string, Check>, required: boolean) {
  return Object.entries(checks).flatMap(([field, check]) => {
    if (input[field] === undefined) return required ? [{ path: field, message: 'is required' }] : [];
    return check(input[field], field);
  });
}

/** Problems with a full product (create, PUT); empty when valid. */
export const productProblems = (input: object): FieldError[] =>
  run(input as Record<string, unknown>, PRODUCT_CHECKS, true);

/** Problems with the fields a PATCH gives; absent fields are fine. */
export const productChangeProblems = (input: object): FieldError[] =>
  run(input as Record<string, unknown>, PRODUCT_CHECKS, false);

/** Problems with the owner id of a new product. */
export const userIdProblems = (value: unknown, path = 'user_id'): FieldError[] => positiveIdCheck(value, path);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Problems with a new user; empty when valid. */
export function userProblems(input: { readonly name?: unknown; readonly email?: unknown }): FieldError[] {
  const problems = run(input, { name: textCheck(1, LIMITS.userNameMaxLength), email: textCheck(3, LIMITS.emailMaxLength) }, true);
  if (problems.some((p) => p.path === 'email') || typeof input.email !== 'string') return problems;
  return EMAIL.test(input.email.trim()) ? problems : [...problems, { path: 'email', message: 'must be an email address' }];
}
