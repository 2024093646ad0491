import { describe, expect, it } from 'vitest';
import { createProduct, listProducts, type ProductQuery, type ProductRepo } from '../../../src/application/index.js';
import { aNewProduct } from '../../support/mothers.js';
import { fixture } from './fixture.js';

async function seeded() {
  const f = await fixture();
  const prices = [5, 10, 15, 20, 25];
  for (const [i, price] of prices.entries()) {
    const created = await createProduct(
      { products: f.products, cache: f.cache },
      aNewProduct(f.user.id, { product_price: price, product_name: i % 2 === 0 ? `Red Lamp ${i}` : `Blue Chair ${i}` }),
    );
    if (!created.ok) throw new Error('not created');
  }
  return f;
}

describe('listProducts', () => {
  it('pages newest first with a cursor until the last page', async () => {
    const { products, user } = await seeded();
    const first = await listProducts({ products }, { user_id: user.id, limit: 2 });
    if (!first.ok) throw new Error(first.error.message);
    expect(first.value.items.map((p) => p.product_price)).toEqual([25, 20]);
    expect(first.value.next_cursor).not.toBeNull();

    const seen = [...first.value.items];
    let cursor = first.value.next_cursor;
    while (cursor) {
      const page = await listProducts({ products }, { user_id: user.id, limit: 2, cursor });
      if (!page.ok) throw new Error(page.error.message);
      seen.push(...page.value.items);
      cursor = page.value.next_cursor;
    }
    expect(seen.map((p) => p.product_price)).toEqual([25, 20, 15, 10, 5]);
  });

  it('applies inclusive price bounds and a trimmed, case-insensitive name filter', async () => {
    const { products, user } = await seeded();
    const result = await listProducts(
      { products },
      { user_id: user.id, price_min: 10, price_max: 25, product_name: '  red LAMP ' },
    );
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.items.map((p) => p.product_price)).toEqual([25, 15]);
    expect(result.value.next_cursor).toBeNull();

    const blank = await listProducts({ products }, { user_id: user.id, product_name: '   ' });
    expect(blank.ok && blank.value.items).toHaveLength(5);
  });

  it('names every bad filter', async () => {
    const { products } = await fixture();
    const result = await listProducts(
      { products },
      { user_id: -1, price_min: 1.001, price_max: -2, limit: 201, cursor: 'bogus!', product_name: 'x'.repeat(201) },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    // The cursor's origin is looked at once the rest is well-formed, as the HTTP API always answered.
    expect(result.error.errors?.map((e) => e.path)).toEqual(['user_id', 'price_min', 'price_max', 'product_name', 'limit']);
    expect(await listProducts({ products }, { user_id: 1, cursor: 'bogus!' })).toMatchObject({
      ok: false,
      error: { errors: [{ path: 'cursor', message: 'is not a cursor this service issued' }] },
    });
    expect(await listProducts({ products }, { user_id: '1', cursor: 7, product_name: ['a'] })).toMatchObject({
      ok: false,
      error: {
        errors: [
          { path: 'user_id', message: 'must be a positive integer' },
          { path: 'product_name', message: 'must be a string' },
          { path: 'cursor', message: 'must be a string' },
        ],
      },
    });
  });

  it('reads the price aliases, refuses two names with different values, and answers in canonical names', async () => {
    const { products, user } = await seeded();
    const aliased = await listProducts({ products }, { user_id: user.id, min_price: 10, max_price: 20, foo: 'ignored' });
    if (!aliased.ok) throw new Error(aliased.error.message);
    expect(aliased.value.items.map((p) => p.product_price)).toEqual([20, 15, 10]);
    expect(aliased.value.query).toEqual({ user_id: user.id, price_min: 10, price_max: 20 });
    expect(await listProducts({ products }, { user_id: user.id, price_min: 10, min_price: 10 })).toMatchObject({ ok: true });
    expect(await listProducts({ products }, { user_id: user.id, price_min: 10, min_price: 11, max_price: 30, price_max: 30 })).toMatchObject({
      ok: false,
      error: { errors: [{ path: 'min_price', message: 'conflicts with price_min' }] },
    });
    expect(await listProducts({ products }, { user_id: user.id, min_price: 30, max_price: 20 })).toMatchObject({
      ok: false,
      error: { errors: [{ path: 'price_min', message: 'must be less than or equal to price_max' }] },
    });
  });

  it('refuses a minimum above the maximum', async () => {
    const { products, user } = await fixture();
    const result = await listProducts({ products }, { user_id: user.id, price_min: 10, price_max: 9.99 });
    expect(result).toMatchObject({
      ok: false,
      error: { errors: [{ path: 'price_min', message: 'must be less than or equal to price_max' }] },
    });
    for (const limit of [0, 1.5]) {
      expect(await listProducts({ products }, { user_id: user.id, limit })).toMatchObject({ ok: false });
    }
  });
});

describe('listProducts within a byte budget', () => {
  async function many(count: number, description = '') {
    const f = await fixture();
    for (let i = 0; i < count; i += 1) {
      const created = await createProduct({ products: f.products, cache: f.cache }, aNewProduct(f.user.id, { product_description: description }));
      if (!created.ok) throw new Error('not created');
    }
    return f;
  }
  const bySize = (product: { product_description: string }) => 100 + product.product_description.length;
  const counting = (products: Pick<ProductRepo, 'list'>) => {
    const limits: number[] = [];
    return { limits, products: { list: (query: ProductQuery) => (limits.push(query.limit), products.list(query)) } };
  };

  it('reads an ordinary page in two steps (20 rows, then the rest) and loses nothing', async () => {
    const { products, user } = await many(60);
    const spy = counting(products);
    const page = await listProducts(spy, { user_id: user.id, limit: 50 }, { maxBytes: 1_000_000, measure: bySize });
    if (!page.ok) throw new Error(page.error.message);
    expect(page.value.items).toHaveLength(50);
    expect(spy.limits).toEqual([21, 31]);
    const rest = await listProducts(spy, { user_id: user.id, limit: 50, cursor: page.value.next_cursor! }, { maxBytes: 1_000_000, measure: bySize });
    if (!rest.ok) throw new Error(rest.error.message);
    expect(rest.value.items).toHaveLength(10);
    expect(rest.value.next_cursor).toBeNull();
    expect(new Set([...page.value.items, ...rest.value.items].map((p) => p.id)).size).toBe(60);
  });

  it('reads only the first rows of a page of big products: the budget ends it there', async () => {
    const { products, user } = await many(30, 'x'.repeat(4000));
    const spy = counting(products);
    const page = await listProducts(spy, { user_id: user.id, limit: 200 }, { maxBytes: 10_000, measure: bySize });
    if (!page.ok) throw new Error(page.error.message);
    expect(page.value.items).toHaveLength(2);
    expect(page.value.next_cursor).not.toBeNull();
    expect(spy.limits).toEqual([21]);
  });

  it('reads next only what the budget left can hold when the first rows all fit', async () => {
    const { products, user } = await many(60, 'x'.repeat(4000));
    const spy = counting(products);
    const page = await listProducts(spy, { user_id: user.id, limit: 200 }, { maxBytes: 100_000, measure: bySize });
    if (!page.ok) throw new Error(page.error.message);
    // 20 rows of 4,100 bytes spend 82,000; 18,000 left hold 4 more (and a fifth tells where it ends).
    expect(spy.limits).toEqual([21, 6]);
    expect(page.value.items).toHaveLength(24);
    expect(page.value.next_cursor).not.toBeNull();
  });

  it('answers one product even when it alone is over the budget, and a small page in one query', async () => {
    const { products, user } = await many(3, 'x'.repeat(4000));
    const spy = counting(products);
    const page = await listProducts(spy, { user_id: user.id, limit: 10 }, { maxBytes: 10, measure: bySize });
    if (!page.ok) throw new Error(page.error.message);
    expect(page.value.items).toHaveLength(1);
    const all = await listProducts(spy, { user_id: user.id, limit: 10 }, { maxBytes: 1_000_000, measure: bySize });
    if (!all.ok) throw new Error(all.error.message);
    expect(all.value.items).toHaveLength(3);
    expect(all.value.next_cursor).toBeNull();
    expect(spy.limits).toEqual([11, 11]);
  });
});
