import { describe, expect, it } from 'vitest';
import { InProcessCache } from '../../../src/adapters/in-process/index.js';
import {
  createProduct,
  createProductReader,
  deleteProduct,
  productCacheKey,
  productView,
  updateProduct,
  type Cache,
  type ScopedCache,
} from '../../../src/application/index.js';
import { aNewProduct } from '../../support/mothers.js';
import { counting, fixture } from './fixture.js';

describe('createProductReader', () => {
  it('misses, loads once, then hits until a change invalidates', async () => {
    const { products, cache, user } = await fixture();
    const reader = createProductReader({ products, cache });
    const created = await createProduct({ products, cache }, aNewProduct(user.id));
    if (!created.ok) throw new Error('not created');
    const id = created.value.product.id;

    expect(await reader.get(id)).toMatchObject({ ok: true, value: { hit: false, product: { id, version: 1 } } });
    const hit = await reader.get(id);
    expect(hit).toMatchObject({ ok: true, value: { hit: true } });
    if (hit.ok) expect(hit.value.product).toEqual(created.value.product); // dates revived

    const updated = await updateProduct({ products, cache }, id, { product_price: 5 }, 'merge');
    expect(updated.ok).toBe(true);
    expect(await reader.get(id)).toMatchObject({ ok: true, value: { hit: false, product: { product_price: 5, version: 2 } } });
    expect(reader.stats()).toEqual({ hits: 1, misses: 2, loads: 2 });
  });

  it('caches "not found" briefly and forgets it when the id is created', async () => {
    const { products, cache, user } = await fixture();
    const reader = createProductReader({ products, cache });
    // The fakes number products from 1: ask for the id the next product will get.
    expect(await reader.get(1)).toMatchObject({ ok: false, error: { code: 'product.not_found' } });
    expect(await reader.get(1)).toMatchObject({ ok: false, error: { code: 'product.not_found' } });
    expect(reader.stats().loads).toBe(1); // the second answer came from the cache
    const created = await createProduct({ products, cache }, aNewProduct(user.id));
    expect(created.ok && created.value.product.id).toBe(1);
    expect(await reader.get(1)).toMatchObject({ ok: true, value: { hit: false, product: { id: 1 } } });
  });

  it('shares one database load among 200 concurrent misses of one id', async () => {
    const { products, cache, user } = await fixture();
    const created = await createProduct({ products, cache }, aNewProduct(user.id));
    if (!created.ok) throw new Error('not created');
    const counted = counting(products, 'findById');
    const reader = createProductReader({ products: counted.repo, cache });
    const release = counted.hold();
    const reads = Array.from({ length: 200 }, () => reader.get(created.value.product.id));
    release();
    const results = await Promise.all(reads);
    expect(results.every((result) => result.ok)).toBe(true);
    expect(counted.loads()).toBe(1);
  });

  it('never puts back a state older than a committed change (the stale-set race)', async () => {
    const { products, cache, user } = await fixture();
    const created = await createProduct({ products, cache }, aNewProduct(user.id, { product_price: 1 }));
    if (!created.ok) throw new Error('not created');
    const id = created.value.product.id;
    const counted = counting(products, 'findById');
    const slowReader = createProductReader({ products: counted.repo, cache });

    const release = counted.hold(); // the reader has loaded version 1 and stalls before caching it
    const stale = slowReader.get(id);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const updated = await updateProduct({ products, cache }, id, { product_price: 2 }, 'merge'); // commits v2, invalidates
    expect(updated.ok).toBe(true);
    release();
    expect(await stale).toMatchObject({ ok: true, value: { product: { product_price: 1 } } }); // its own answer may be old…
    // …but it could not cache it: the next reader sees version 2.
    const fresh = await createProductReader({ products, cache }).get(id);
    expect(fresh).toMatchObject({ ok: true, value: { product: { product_price: 2, version: 2 } } });
  });

  it('keeps a deleted product gone, and spreads lifetimes with jitter', async () => {
    const { products, user } = await fixture();
    const lifetimes: number[] = [];
    const inner = new InProcessCache();
    const cache: Cache & Pick<ScopedCache, 'bump'> = {
      bump: (scope) => inner.bump(scope),
      get: (key) => inner.get(key),
      invalidate: (key, version) => inner.invalidate(key, version),
      set: (key, value, version, ttlMs) => {
        lifetimes.push(ttlMs);
        return inner.set(key, value, version, ttlMs);
      },
    };
    const created = await createProduct({ products, cache }, aNewProduct(user.id));
    if (!created.ok) throw new Error('not created');
    const id = created.value.product.id;
    const low = createProductReader({ products, cache }, { ttlMs: 1000, jitter: 0.1, random: () => 0 });
    await low.get(id);
    await cache.invalidate(productCacheKey(id), 1);
    const high = createProductReader({ products, cache }, { ttlMs: 1000, jitter: 0.1, random: () => 1 });
    await high.get(id);
    expect(lifetimes).toEqual([900, 1100]);

    expect((await deleteProduct({ products, cache }, id)).ok).toBe(true);
    expect(await high.get(id)).toMatchObject({ ok: false, error: { code: 'product.not_found' } });
    expect(await cache.get(productCacheKey(id))).toBeNull(); // the tombstone refuses a cached copy
  });

  it('answers with the product as the API shows it, rendered once per cache entry', async () => {
    const { products, cache, user } = await fixture();
    const reader = createProductReader({ products, cache });
    const created = await createProduct({ products, cache }, aNewProduct(user.id));
    if (!created.ok) throw new Error('not created');
    const id = created.value.product.id;
    const miss = await reader.get(id);
    const [first, second] = [await reader.get(id), await reader.get(id)];
    if (!miss.ok || !first.ok || !second.ok) throw new Error('not read');
    expect(JSON.parse(miss.value.body)).toEqual(JSON.parse(JSON.stringify(productView(created.value.product))));
    expect(JSON.parse(miss.value.body)).not.toHaveProperty('version');
    expect(first.value.body).toBe(miss.value.body);
    // The in-process cache hands back the same entry for both hits: decoded and rendered once.
    expect(second.value.product).toBe(first.value.product);
  });

  it('decodes again for a cache that hands out a new entry object each time, and renders what it holds', async () => {
    const { products, user } = await fixture();
    const inner = new InProcessCache();
    const copying: Pick<Cache, 'get' | 'set'> = {
      get: async (key) => {
        const entry = await inner.get(key);
        return entry && { ...entry };
      },
      set: (key, value, version, ttlMs) => inner.set(key, value, version, ttlMs),
    };
    const reader = createProductReader({ products, cache: copying });
    const created = await createProduct({ products, cache: inner }, aNewProduct(user.id));
    if (!created.ok) throw new Error('not created');
    await reader.get(created.value.product.id);
    const [first, second] = [await reader.get(created.value.product.id), await reader.get(created.value.product.id)];
    if (!first.ok || !second.ok) throw new Error('not read');
    expect(second.value.product).not.toBe(first.value.product);
    expect(second.value).toEqual(first.value);
  });
});
