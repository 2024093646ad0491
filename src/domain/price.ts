import type { FieldError } from './errors.js';

/** NUMERIC(12,2): ten integer digits at most, two fraction digits. */
export const PRICE_MIN = 0;
export const PRICE_MAX = 99_999_999.99;
export const PRICE_FRACTION_DIGITS = 2;

// String(n) is the shortest text that round-trips to n, so this sees the digits the client
// sent (19.99 stays "19.99"; 19.999 and 1e-7 do not match) without float arithmetic.
const TWO_DECIMALS = new RegExp(`^\\d+(\\.\\d{1,${PRICE_FRACTION_DIGITS}})?$`);

/** Returns why `value` is not a valid price, or null. Prices are never rounded. */
export function priceProblem(value: unknown, path = 'product_price'): FieldError | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return { path, message: 'must be a number' };
  }
  if (value < PRICE_MIN) return { path, message: 'must be greater than or equal to 0' };
  if (value > PRICE_MAX) return { path, message: `must be less than or equal to ${PRICE_MAX}` };
  if (!TWO_DECIMALS.test(String(value))) {
    return { path, message: `must have at most ${PRICE_FRACTION_DIGITS} fraction digits` };
  }
  return null;
}

/** The exact decimal text of a valid price, as NUMERIC(12,2) stores it. */
export const priceToDecimal = (price: number): string => price.toFixed(2);

/** Reads NUMERIC text back; every valid price round-trips exactly through a double. */
export const priceFromDecimal = (text: string): number => Number(text);
