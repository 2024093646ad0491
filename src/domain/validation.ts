import type { FieldError } from './errors.js';
import type { FieldRule, FieldValues, JsonSchema } from './field-rule.js';
import { err, ok, type Result } from './result.js';

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
  /**
   * Keys a closed record accepts and drops, whatever their value: output-only fields a client
   * sends back with what it read (GET, edit, PUT), as Google AIP-203 asks.
   */
  readonly ignored?: readonly string[];
  /** Refuse a record that gives none of these fields (a change that changes nothing). */
  readonly nonEmpty?: readonly string[];
}

/** The values of a record that passed its spec: the required fields and whichever others it gave. */
export type RecordValues<R extends Rules, K extends keyof R> = FieldValues<Pick<R, K>> & Partial<FieldValues<R>>;

/**
 * A closed record spec; `required` defaults to every field, and `nonEmpty: true` means "at
 * least one of the fields".
 */
export const recordSpec = <R extends Rules, const K extends keyof R = keyof R>(
  fields: R,
  options: { required?: readonly K[]; closed?: boolean; ignored?: readonly string[]; nonEmpty?: boolean | readonly (keyof R)[] } = {},
): RecordSpec<R, K> => ({
  fields,
  required: options.required ?? (Object.keys(fields) as K[]),
  closed: options.closed ?? true,
  ...(options.ignored && { ignored: options.ignored }),
  ...(options.nonEmpty && { nonEmpty: options.nonEmpty === true ? Object.keys(fields) : (options.nonEmpty as readonly string[]) }),
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
      if (!Object.hasOwn(spec.fields, key) && !spec.ignored?.includes(key)) problems.push({ path: key, message: 'is not an accepted field' });
    }
  }
  if (spec.nonEmpty && problems.length === 0 && !spec.nonEmpty.some((name) => Object.hasOwn(values, name))) {
    problems.push({ path: '', message: `must contain at least one of ${spec.nonEmpty.join(', ')}` });
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

// Untyped on purpose: any value is accepted, and dropped.
const IGNORED: JsonSchema = { readOnly: true, description: 'Output only: accepted and ignored, so a body read with GET can be sent back.' };

/** The JSON Schema documenting a record spec, from its fields' own schemas. */
export const recordSchema = (spec: RecordSpec): JsonSchema => ({
  type: 'object',
  properties: {
    ...Object.fromEntries(Object.entries(spec.fields).map(([name, rule]) => [name, rule.schema])),
    ...Object.fromEntries((spec.ignored ?? []).map((name) => [name, IGNORED])),
  },
  ...(spec.required.length > 0 && { required: spec.required }),
  ...(spec.closed && { additionalProperties: false }),
  // Not anyOf-of-required, which is exact but turns generated client types into `unknown`.
  ...(spec.nonEmpty && {
    minProperties: 1,
    description: `At least one of ${spec.nonEmpty.join(', ')}.`,
  }),
});

/** A positive integer id from path or query text, or null. */
export function parseId(text: string): number | null {
  if (!/^[1-9]\d{0,15}$/.test(text)) return null;
  const id = Number(text);
  return Number.isSafeInteger(id) ? id : null;
}
