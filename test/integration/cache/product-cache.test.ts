import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleTask } from '../../../src/application/index.js';
import { aDelivery, anImageTask } from '../../support/mothers.js';
import { pngBytes, MarkerCompressor, ScriptedFetcher } from '../../support/pipeline-fakes.js';
import { redisUrl } from '../../support/redis.js';
import { cacheHarness, read, seedProduct, setPrice, type Instance } from './cache-harness.js';

// GET /products/:id through Redis on real PostgreSQL: two app instances share both.
let harness: Awaited<ReturnType<typeof cacheHarness>>;
let a: Instance;
let b: Instance;

beforeAll(async () => {
  harness = await cacheHarness();
  const url = await redisUrl();
  a = await harness.instance(url);
  b = await harness.instance(url);
});
afterAll(async () => {
  await harness.close();
});

describe('the product cache on Redis', () => {
  it('shows a write through one instance at once through the other', async () => {
    const id = await seedProduct(a, 10);
    expect(await read(b, id)).toMatchObject({ status: 200, price: 10, cache: 'MISS' });
    expect(await read(b, id)).toMatchObject({ status: 200, price: 10, cache: 'HIT' });
    expect((await setPrice(a, id, 11)).status).toBe(200);
    expect(await read(b, id)).toMatchObject({ status: 200, price: 11, cache: 'MISS' });
    expect(await read(a, id)).toMatchObject({ status: 200, price: 11, cache: 'HIT' });
  });

  it('answers 304 to a matching If-None-Match until the product changes', async () => {
    const id = await seedProduct(a);
    const first = await read(a, id);
    expect(first.etag).toMatch(/^"\d+-1"$/);
    const unchanged = await b.app.request(`/products/${id}`, { headers: { 'if-none-match': `W/${first.etag}, "other"` } });
    expect(unchanged.status).toBe(304);
    expect(unchanged.headers.get('etag')).toBe(first.etag);
    await setPrice(b, id, 99);
    const changed = await a.app.request(`/products/${id}`, { headers: { 'if-none-match': first.etag as string } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).toBe(`"${id}-2"`);
  });

  it('shows the worker finishing an image, and deletes at once', async () => {
    const user = await a.app.request('/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'W', email: `w-${Date.now()}@example.com` }),
    });
    const { id: user_id } = (await user.json()) as { id: number };
    const url = 'https://img.example.com/worker.png';
    const created = await a.app.request('/products', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user_id, product_name: 'W', product_description: '', product_images: [url], product_price: 1 }),
    });
    const product = (await created.json()) as { id: number; images: { id: number }[] };
    expect((await b.app.request(`/products/${product.id}`)).headers.get('x-cache')).toBe('MISS');
    expect((await b.app.request(`/products/${product.id}`)).headers.get('x-cache')).toBe('HIT');

    const worker = handleTask({
      ...a.worker,
      fetcher: new ScriptedFetcher().script(url, pngBytes('worker')),
      compressor: new MarkerCompressor(),
    });
    const delivery = aDelivery({ task: anImageTask({ product_id: product.id, image_id: product.images[0]!.id }) });
    expect(await worker(delivery)).toEqual({ type: 'done' });
    const after = await b.app.request(`/products/${product.id}`);
    expect(after.headers.get('x-cache')).toBe('MISS');
    expect(((await after.json()) as { images: { status: string }[] }).images[0]?.status).toBe('done');

    expect((await a.app.request(`/products/${product.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await read(b, product.id)).status).toBe(404);
  });

  it('loads a cold key from the database once for 200 concurrent GETs', async () => {
    const id = await seedProduct(a);
    const before = b.deps.productReader.stats().loads;
    const responses = await Promise.all(Array.from({ length: 200 }, () => b.app.request(`/products/${id}`)));
    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect(b.deps.productReader.stats().loads - before).toBe(1);
  });

  it('caches a 404 briefly and forgets it when the id is created', async () => {
    // The id the next product will get (this file's database; its tests run one at a time).
    const rows = (await harness.connection.db.execute(sql`select last_value + 1 as next from products_id_seq`)) as unknown as { next: string }[];
    const next = Number(rows[0]?.next);
    expect((await read(b, next)).status).toBe(404);
    expect((await read(b, next)).status).toBe(404);
    const id = await seedProduct(a);
    expect(id).toBe(next);
    expect(await read(b, id)).toMatchObject({ status: 200, cache: 'MISS' });
  });

  it('counts hits and misses in /metrics', async () => {
    const metrics = await (await b.app.request('/metrics')).text();
    expect(metrics).toMatch(/^product_cache_hits_total [1-9]\d*$/m);
    expect(metrics).toMatch(/^product_cache_misses_total [1-9]\d*$/m);
    expect(metrics).toMatch(/^product_cache_loads_total [1-9]\d*$/m);
    // The Redis adapter's own figures, wired by the composition root.
    expect(metrics).toMatch(/^# TYPE redis_cache_errors_total counter\nredis_cache_errors_total 0$/m);
    expect(metrics).toMatch(/^redis_cache_commands_total [1-9]\d*$/m);
    expect(metrics).toMatch(/^# TYPE redis_cache_breaker_open gauge\nredis_cache_breaker_open 0$/m);
  });
});
