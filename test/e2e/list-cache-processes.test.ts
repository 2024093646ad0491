import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTHORIZATION } from '../support/admin-key.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { redisUrl } from '../support/redis.js';
import { spawnService, type SpawnedService } from '../support/spawn-service.js';

let database: TestDatabase;
let one: SpawnedService;
let other: SpawnedService;

// Two `npm run start:api` processes on one PostgreSQL database and one Redis, list cache on.
beforeAll(async () => {
  database = await createTestDatabase();
  const env = { DATABASE_URL: database.url, DATABASE_POOL_MAX: '4', REDIS_URL: await redisUrl(), REDIS_PREFIX: `e2e-lists-${randomBytes(4).toString('hex')}` };
  [one, other] = await Promise.all([spawnService('api.ts', env, 60_000), spawnService('api.ts', env, 60_000)]);
}, 90_000);
afterAll(async () => {
  await Promise.all([one?.stop('SIGTERM'), other?.stop('SIGTERM')]);
  await database?.drop();
});

const send = (base: string, method: string, path: string, body?: unknown) =>
  fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json', ...ADMIN_AUTHORIZATION }, body: body === undefined ? undefined : JSON.stringify(body) });
type Listed = { id: number; product_name: string };

describe('the list and product caches across two API processes', () => {
  it('serves 0 stale lists in 1,200 write/read pairs, written through one process and read through the other', async () => {
    const user = (await (await send(one.url, 'POST', '/users', { name: 'Lists', email: `lists-${randomBytes(6).toString('hex')}@example.com` })).json()) as { id: number };
    const list = async (base: string) => {
      const response = await send(base, 'GET', `/products?user_id=${user.id}&limit=100`);
      expect(response.status).toBe(200);
      return { hit: response.headers.get('x-cache') === 'HIT', items: (await response.json()) as Listed[] };
    };
    const live = new Map<number, string>();
    let stale = 0;
    let hits = 0;
    for (let pair = 0; pair < 1_200; pair += 1) {
      const [writer, reader] = pair % 2 === 0 ? [one.url, other.url] : [other.url, one.url];
      // Warm the reader's view first, so a missed bump would show as a stale HIT.
      hits += (await list(reader)).hit ? 1 : 0;
      const ids = [...live.keys()];
      const kind = ids.length < 5 || pair % 3 === 0 ? 'create' : pair % 3 === 1 ? 'patch' : 'delete';
      const name = `p-${pair}`;
      if (kind === 'create') {
        const created = await send(writer, 'POST', '/products', { user_id: user.id, product_name: name, product_description: '', product_images: [], product_price: 1 });
        expect(created.status).toBe(201);
        live.set(((await created.json()) as { id: number }).id, name);
      } else {
        const id = ids[pair % ids.length]!;
        const changed = kind === 'patch' ? await send(writer, 'PATCH', `/products/${id}`, { product_name: name }) : await send(writer, 'DELETE', `/products/${id}`);
        expect(changed.status).toBe(kind === 'patch' ? 200 : 204);
        if (kind === 'patch') live.set(id, name);
        else live.delete(id);
      }
      const seen = await list(reader);
      const expected = [...live.entries()].sort(([a], [b]) => b - a).slice(0, 100);
      if (JSON.stringify(seen.items.map((item) => [item.id, item.product_name])) !== JSON.stringify(expected)) stale += 1;
      hits += seen.hit ? 1 : 0;
    }
    expect(stale).toBe(0);
    // The cache was in play: each warm-up after the previous pair's check is a hit.
    expect(hits).toBeGreaterThan(1_000);
  }, 240_000);

  it('serves 0 stale products in 1,000 write/read pairs, read through the other process from its local copy', async () => {
    const user = (await (await send(one.url, 'POST', '/users', { name: 'Reads', email: `reads-${randomBytes(6).toString('hex')}@example.com` })).json()) as { id: number };
    const ids: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const created = await send(one.url, 'POST', '/products', { user_id: user.id, product_name: 'p-0', product_description: '', product_images: [], product_price: 1 });
      ids.push(((await created.json()) as { id: number }).id);
    }
    const read = async (base: string, id: number) => {
      const response = await send(base, 'GET', `/products/${id}`);
      expect(response.status).toBe(200);
      return ((await response.json()) as Listed).product_name;
    };
    const localHits = async (base: string) => {
      const text = await (await send(base, 'GET', '/metrics')).text();
      return Number(/^redis_cache_local_hits_total (\d+)$/m.exec(text)?.[1] ?? Number.NaN);
    };
    const before = [await localHits(one.url), await localHits(other.url)];
    let stale = 0;
    for (let pair = 0; pair < 1_000; pair += 1) {
      const [writer, reader] = pair % 2 === 0 ? [one.url, other.url] : [other.url, one.url];
      const id = ids[pair % ids.length]!;
      // Warm the reader's copy (the first read after a store may go to Redis, the next is local)...
      await read(reader, id);
      await read(reader, id);
      const name = `p-${pair + 1}`;
      expect((await send(writer, 'PATCH', `/products/${id}`, { product_name: name })).status).toBe(200);
      // ...so a copy that outlived the write would show here.
      if ((await read(reader, id)) !== name) stale += 1;
    }
    expect(stale).toBe(0);
    const after = [await localHits(one.url), await localHits(other.url)];
    // The copies were in play: most warm-up reads were answered locally.
    expect(after[0]! - before[0]! + after[1]! - before[1]!).toBeGreaterThan(500);
  }, 240_000);
});
