import { ok } from './result.js';
import { problem, type Doc, type FieldRule } from './field-rule.js';
import { PRICE_FRACTION_DIGITS, PRICE_MAX, PRICE_MIN, priceProblem } from './price.js';

/** A price: a JSON number in NUMERIC(12,2)'s range with at most two fraction digits, never rounded. */
export function price(doc: Doc = {}): FieldRule<number, { minimum: number; maximum: number; fractionDigits: number }> {
  return {
    kind: 'price',
    bounds: { minimum: PRICE_MIN, maximum: PRICE_MAX, fractionDigits: PRICE_FRACTION_DIGITS },
    schema: { type: 'number', minimum: PRICE_MIN, maximum: PRICE_MAX, multipleOf: 10 ** -PRICE_FRACTION_DIGITS, ...doc },
    check(value, path) {
      const found = priceProblem(value, path);
      return found ? problem(path, found.message) : ok(value as number);
    },
  };
}

/** An id: a positive safe integer. */
export function positiveId(doc: Doc = {}): FieldRule<number> {
  return {
    kind: 'positive-id',
    bounds: { minimum: 1 },
    schema: { type: 'integer', minimum: 1, ...doc },
    check: (value, path) =>
      typeof value === 'number' && Number.isSafeInteger(value) && value > 0
        ? ok(value)
        : problem(path, 'must be a positive integer'),
  };
}

/** An integer from `minimum` to `maximum`. */
export function integer(bounds: { minimum: number; maximum: number }, doc: Doc = {}): FieldRule<number, typeof bounds> {
  const { minimum, maximum } = bounds;
  return {
    kind: 'integer',
    bounds,
    schema: { type: 'integer', minimum, maximum, ...doc },
    check(value, path) {
      if (typeof value !== 'number') return problem(path, 'must be an integer');
      return Number.isInteger(value) && value >= minimum && value <= maximum
        ? ok(value)
        : problem(path, `must be an integer from ${minimum} to ${maximum}`);
    },
  };
}
