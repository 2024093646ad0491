import { describe, expect, it } from 'vitest';
import { PRICE_MAX, priceFromDecimal, priceProblem, priceToDecimal } from '../../../src/domain/index.js';

describe('price', () => {
  it.each([0, 0.01, 0.1, 1, 19.99, 1234.5, PRICE_MAX])('accepts %s', (value) => {
    expect(priceProblem(value)).toBeNull();
  });

  it.each([
    [19.999, 'must have at most 2 fraction digits'],
    [1e-7, 'must have at most 2 fraction digits'],
    [-0.01, 'must be greater than or equal to 0'],
    [100_000_000, `must be less than or equal to ${PRICE_MAX}`],
    [Number.NaN, 'must be a number'],
    [Number.POSITIVE_INFINITY, 'must be a number'],
    ['19.99', 'must be a number'],
  ])('rejects %s: %s', (value, message) => {
    expect(priceProblem(value, 'price_min')).toEqual({ path: 'price_min', message });
  });

  it('round-trips every two-digit price through NUMERIC text exactly', () => {
    for (const value of [0, 0.1, 0.29, 19.99, 1_000_000.07, PRICE_MAX]) {
      expect(priceToDecimal(value)).toMatch(/^\d+\.\d{2}$/);
      expect(priceFromDecimal(priceToDecimal(value))).toBe(value);
    }
  });
});
