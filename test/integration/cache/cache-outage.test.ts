import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateRedis, type PrivateRedis } from '../../support/redis.js';
import { cacheHarness, read, seedProduct, setPrice, type Instance } from './cache-harness.js';

// Redis failing under the API: reads fail open to PostgreSQL, and a missed invalidation never
// lets an old value come back.
let harness: Awaited<ReturnType<typeof cacheHarness>>;
let redis: PrivateRedis;
let a: Instance;
let b: Instance;

beforeAll(async () => {
  harness = await cacheHarness();
  redis = await startPrivateRedis();
  a = await harness.instance(redis.url);
  b = await harness.instance(redis.url);
});
afterAll(async () => {
  await redis?.close();
  await harness?.close();
});

describe('Redis failing under load', () => {
  it('serves every request while the server is killed mid-traffic, and caches again after a restart', { timeout: 60_000 }, async () => {
    const ids = await Promise.all([1, 2, 3, 4].map((n) => seedProduct(a, n)));
    for (const id of ids) await read(a, id); // warm
    const statuses: number[] = [];
    const traffic = (async () => {
      for (let round = 0; round < 30; round += 1) {
        const batch = await Promise.all(
          ids.flatMap((id, i) => [
            read(round % 2 ? a : b, id).then((r) => r.status),
            i === 0 ? setPrice(a, id, 100 + round).then((r) => r.status) : read(b, id).then((r) => r.status),
          ]),
        );
        statuses.push(...batch);
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await redis.kill();
    await traffic;
    expect(statuses.length).toBe(30 * ids.length * 2);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    // Fail-open: the last write is visible although Redis is gone.
    expect(await read(b, ids[0] as number)).toMatchObject({ status: 200, price: 129 });

    await redis.restart();
    let cached = false;
    for (let i = 0; i < 100 && !cached; i += 1) {
      await read(a, ids[1] as number);
      cached = (await read(a, ids[1] as number)).cache === 'HIT';
      if (!cached) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(cached).toBe(true);
  });

  it('converges to a write made while Redis was stopped, and never shows the old value again', { timeout: 60_000 }, async () => {
    const id = await seedProduct(a, 1);
    for (const instance of [a, b, a, b]) await read(instance, id); // both instances have read it: cached at version 1
    expect((await read(b, id)).cache).toBe('HIT');

    redis.pause();
    expect((await setPrice(a, id, 2)).status).toBe(200); // the invalidation cannot reach Redis
    expect(await read(a, id)).toMatchObject({ status: 200, price: 2 });
    expect(await read(b, id)).toMatchObject({ status: 200, price: 2 });
    redis.resume();

    // From the first new value on, no read through either instance may show the old one.
    const seen: number[] = [];
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      for (const instance of [a, b]) seen.push((await read(instance, id)).price as number);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(seen.every((price) => price === 2)).toBe(true);
    expect((await read(b, id)).cache).toBe('HIT'); // and the cache is in use again
  });
});
