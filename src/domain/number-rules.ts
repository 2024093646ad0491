import { ok } from './result.js';
import { problem, type Doc, type FieldRule } from './field-rule.js';
import { PRICE_FRACTION_DIGITS, PRICE_MAX, PRICE_MIN, priceProblem } from './price.js';

const FRACTION_RULE =
  `At most ${PRICE_FRACTION_DIGITS} fraction digits, read from the number's shortest decimal form (19.99 and 0.07 are prices, ` +
  `19.999 is refused); never rounded. The x-fraction-digits keyword states it for tools: multipleOf cannot, since validators ` +
  `divide binary floats and refuse legal prices.`;

/** A price: a JSON number in NUMERIC(12,2)'s range with at most two fraction digits, never rounded. */
export function price(doc: Doc = {}): FieldRule<number, { minimum: number; maximum: number; fractionDigits: number }> {
  return {
    kind: 'price',
    bounds: { minimum: PRICE_MIN, maximum: PRICE_MAX, fractionDigits: PRICE_FRACTION_DIGITS },
    schema: {
      type: 'number',
      minimum: PRICE_MIN,
      maximum: PRICE_MAX,
      'x-fraction-digits': PRICE_FRACTION_DIGITS,
      ...doc,
      description: [doc.description, FRACTION_RULE].filter(Boolean).join(' '),
    },
    check(value, path) {
      const found = priceProblem(value, path);
      return found ? problem(path, found.message) : ok(value as number);
    },
  };
}

/** An id: a positive safe integer (at most 2^53 - 1, the largest integer a JSON number carries exactly). */
export function positiveId(doc: Doc = {}): FieldRule<number> {
  return {
    kind: 'positive-id',
    bounds: { minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
    schema: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, ...doc },
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
