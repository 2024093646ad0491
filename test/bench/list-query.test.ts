import { describe, expect, it } from 'vitest';
import { listPath, randomListQuery } from '../../bench/list.js';
import { NAME_TERMS, PRICE_RANGE } from '../../bench/seed.js';

// Cycles through `values`, so each draw of randomListQuery is pinned.
const sequence = (values: readonly number[]) => {
  let next = 0;
  return () => values[next++ % values.length] as number;
};

describe('randomListQuery', () => {
  it('draws a window of 100 to 400 inside the seeded prices, a seeded user and a seeded term', () => {
    for (const draw of [0, 0.5, 0.999_999]) {
      const query = randomListQuery(['7', '8', '9'], () => draw);
      expect(query.priceMax - query.priceMin).toBeGreaterThanOrEqual(100);
      expect(query.priceMax - query.priceMin).toBeLessThanOrEqual(400);
      expect(query.priceMin).toBeGreaterThanOrEqual(PRICE_RANGE.min);
      expect(query.priceMax).toBeLessThanOrEqual(PRICE_RANGE.max);
      expect(['7', '8', '9']).toContain(query.userId);
      expect(NAME_TERMS).toContain(query.term);
    }
  });

  it('takes the width, the start, the user and the term from successive draws', () => {
    expect(randomListQuery(['1', '2'], sequence([0, 0, 0.5, 0.999]))).toEqual({ userId: '2', priceMin: 1, priceMax: 101, term: NAME_TERMS.at(-1) });
  });
});

describe('listPath', () => {
  it('puts every filter in the query string', () => {
    expect(listPath({ userId: '42', priceMin: 10, priceMax: 250, term: 'lamp' })).toBe('/products?user_id=42&price_min=10&price_max=250&product_name=lamp');
  });
});
