import { decodeCursor, isPositiveId, type CursorKey } from './cursor.js';
import type { FieldError } from './errors.js';
import { problem, text, type Doc, type FieldRule } from './field-rule.js';
import { LIMITS } from './limits.js';
import { integer, positiveId, price } from './number-rules.js';
import { PRODUCT_FIELDS } from './product-fields.js';
import { err, ok, type Result } from './result.js';
import { checkFields, recordSpec, refineFields, type RecordValues } from './validation.js';

/** A keyset cursor, opaque to clients; whether this service issued it for this list is the second look. */
const cursor = (isKey: CursorKey<unknown>, doc: Doc): FieldRule<string> => ({
  kind: 'cursor',
  bounds: {},
  schema: { type: 'string', ...doc },
  check: (value, path) => (typeof value === 'string' ? ok(value) : problem(path, 'must be a string')),
  refine: (value, path) => (decodeCursor(value, isKey) === null ? [{ path, message: 'is not a cursor this service issued' }] : []),
});

/**
 * The paging fields every keyset list has: `limit` and a `cursor` over the keys `isKey` accepts
 * (copied from the previous page's Link header).
 */
export const pageFields = (isKey: CursorKey<unknown>) => ({
  limit: integer({ minimum: 1, maximum: LIMITS.listMaxLimit }, { default: LIMITS.listDefaultLimit }),
  cursor: cursor(isKey, { description: 'Opaque; copy it from the Link header of the previous page.' }),
});

const FILTERS = {
  user_id: positiveId({ description: 'The owner whose products to list (required).', example: 1 }),
  price_min: price({ description: 'Lowest price, inclusive.' }),
  price_max: price({ description: 'Highest price, inclusive; must not be below price_min.' }),
  min_price: price({ description: 'Alias of price_min.' }),
  max_price: price({ description: 'Alias of price_max.' }),
  product_name: text(
    { maxLength: PRODUCT_FIELDS.product_name.bounds.maxLength },
    { description: 'Case-insensitive substring of product_name.' },
  ),
  ...pageFields(isPositiveId),
};

/** The filters of a product list, aliases included; parameters it does not name are ignored. */
export const LIST_QUERY = recordSpec(FILTERS, { required: ['user_id'], closed: false });

/** Second names of filters. Giving both names with different values is a problem at the alias. */
export const LIST_QUERY_ALIASES = { min_price: 'price_min', max_price: 'price_max' } as const;

/** A valid list query, in canonical names. */
export type ListQuery = Omit<RecordValues<typeof FILTERS, 'user_id'>, keyof typeof LIST_QUERY_ALIASES>;

/** The query in canonical names when it is valid, else every problem with it. */
export function checkListQuery(input: unknown): Result<ListQuery, readonly FieldError[]> {
  const { values, problems } = checkFields(input, LIST_QUERY);
  const given = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  for (const [alias, name] of Object.entries(LIST_QUERY_ALIASES)) {
    // Compared as given: two different values for one filter conflict, valid prices or not.
    const [a, b] = [given[alias], given[name]];
    if (a !== undefined && b !== undefined && a !== b) problems.push({ path: alias, message: `conflicts with ${name}` });
  }
  if (problems.length > 0) return err(problems);
  const { min_price, max_price, ...query } = values as RecordValues<typeof FILTERS, 'user_id'>;
  const price_min = query.price_min ?? min_price;
  const price_max = query.price_max ?? max_price;
  const canonical: ListQuery = {
    ...query,
    ...(price_min !== undefined && { price_min }),
    ...(price_max !== undefined && { price_max }),
  };
  const found =
    price_min !== undefined && price_max !== undefined && price_min > price_max
      ? [{ path: 'price_min', message: 'must be less than or equal to price_max' }]
      : [];
  found.push(...refineFields(values, LIST_QUERY));
  return found.length > 0 ? err(found) : ok(canonical);
}
