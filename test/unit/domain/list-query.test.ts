import { describe, expect, it } from 'vitest';
import { checkListQuery, encodeCursor, LIST_QUERY, recordSchema } from '../../../src/domain/index.js';

const problemsOf = (input: unknown) => {
  const result = checkListQuery(input);
  return result.ok ? [] : result.error;
};

describe('checkListQuery', () => {
  it('answers in canonical names, aliases resolved, unknown parameters ignored', () => {
    const cursor = encodeCursor(9);
    expect(checkListQuery({ user_id: 1, min_price: 5, max_price: 8, product_name: ' lamp ', limit: 3, cursor, foo: 'x' })).toEqual({
      ok: true,
      value: { user_id: 1, price_min: 5, price_max: 8, product_name: ' lamp ', limit: 3, cursor },
    });
    expect(checkListQuery({ user_id: 1 })).toEqual({ ok: true, value: { user_id: 1 } });
    expect(checkListQuery({ user_id: 1, price_min: 5, min_price: 5 })).toEqual({ ok: true, value: { user_id: 1, price_min: 5 } });
  });

  it.each([
    [{}, 'user_id', 'is required'],
    [{ user_id: 'abc' }, 'user_id', 'must be a positive integer'],
    [{ user_id: 1e20 }, 'user_id', 'must be a positive integer'],
    [{ user_id: 1, price_min: -1 }, 'price_min', 'must be greater than or equal to 0'],
    [{ user_id: 1, price_max: 1.999 }, 'price_max', 'must have at most 2 fraction digits'],
    [{ user_id: 1, price_max: '1e3' }, 'price_max', 'must be a number'],
    [{ user_id: 1, price_min: Number.POSITIVE_INFINITY }, 'price_min', 'must be a number'],
    [{ user_id: 1, min_price: -1 }, 'min_price', 'must be greater than or equal to 0'],
    [{ user_id: 1, price_min: 10, min_price: 20 }, 'min_price', 'conflicts with price_min'],
    [{ user_id: 1, max_price: 'abc' }, 'max_price', 'must be a number'],
    [{ user_id: 1, product_name: 'n'.repeat(201) }, 'product_name', 'must have at most 200 characters'],
    [{ user_id: 1, product_name: ['a', 'b'] }, 'product_name', 'must be a string'],
    [{ user_id: 1, limit: 0 }, 'limit', 'must be an integer from 1 to 200'],
    [{ user_id: 1, limit: 1.5 }, 'limit', 'must be an integer from 1 to 200'],
    [{ user_id: 1, limit: 'ten' }, 'limit', 'must be an integer'],
    [{ user_id: 1, cursor: ['a', 'b'] }, 'cursor', 'must be a string'],
    [{ user_id: 1, cursor: 'not-a-cursor' }, 'cursor', 'is not a cursor this service issued'],
    [{ user_id: 1, price_min: 30, price_max: 20 }, 'price_min', 'must be less than or equal to price_max'],
    [{ user_id: 1, min_price: 30, max_price: 20 }, 'price_min', 'must be less than or equal to price_max'],
  ])('refuses %j at %s', (input, path, message) => {
    expect(problemsOf(input)).toEqual([{ path, message }]);
  });

  it('compares aliases as given: the same text twice is no conflict, any two different values are', () => {
    expect(problemsOf({ user_id: 1, price_min: 'abc', min_price: 'abc' }).map((p) => p.message)).toEqual(['must be a number', 'must be a number']);
    expect(problemsOf({ user_id: 1, price_min: 'abc', min_price: 10 })).toEqual([
      { path: 'price_min', message: 'must be a number' },
      { path: 'min_price', message: 'conflicts with price_min' },
    ]);
  });

  it('looks at the bounds against each other and at the cursor only when the rest is well-formed', () => {
    expect(problemsOf({ user_id: 0, price_min: 30, price_max: 20, cursor: 'bogus' })).toEqual([
      { path: 'user_id', message: 'must be a positive integer' },
    ]);
    expect(problemsOf({ user_id: 1, price_min: 30, price_max: 20, cursor: 'bogus' })).toEqual([
      { path: 'price_min', message: 'must be less than or equal to price_max' },
      { path: 'cursor', message: 'is not a cursor this service issued' },
    ]);
  });

  it('refuses a query that is not an object', () => {
    expect(problemsOf(null)).toEqual([{ path: '', message: 'Invalid input: expected object, received null' }]);
  });

  it('documents every filter, aliases included, with user_id required', () => {
    const schema = recordSchema(LIST_QUERY);
    expect(Object.keys(schema.properties ?? {})).toEqual(['user_id', 'price_min', 'price_max', 'min_price', 'max_price', 'product_name', 'limit', 'cursor']);
    expect(schema.required).toEqual(['user_id']);
    expect(schema).not.toHaveProperty('additionalProperties');
    expect(schema.properties?.limit).toEqual({ type: 'integer', minimum: 1, maximum: 200, default: 50 });
  });
});
