import { afterEach, describe, expect, it } from 'vitest';
import { RedisCache } from '../../../src/adapters/redis/index.js';
import type { RedisCacheOptions } from '../../../src/adapters/redis/index.js';
import { type PrivateRedis, startPrivateRedis, TEST_COMMAND_TIMEOUT_MS } from '../../support/redis.js';
import { eventually } from '../../support/eventually.js';

const TTL = 60_000;
let server: PrivateRedis;
const caches: RedisCache[] = [];
const aCache = (options: Partial<RedisCacheOptions> = {}) => {
  const cache = new RedisCache({ url: server.url, commandTimeoutMs: TEST_COMMAND_TIMEOUT_MS, breaker: { openMs: 300 }, ...options });
  caches.push(cache);
  return cache;
};
afterEach(async () => {
  await Promise.all(caches.splice(0).map((cache) => cache.close()));
  await server.close();
});
/** Passes once every invalidation `cache` kept has been replayed to Redis. */
const settled = (cache: RedisCache) => () => expect(cache.stats().pendingInvalidations).toBe(0);

describe('RedisCache when its server is stopped (SIGSTOP) during a write', () => {
  it('keeps the invalidation, trusts nothing until it is replayed, and never reverts afterwards', async () => {
    server = await startPrivateRedis();
    const [writer, reader] = [aCache(), aCache()];
    await reader.set('product:1', 'old', 1, TTL);
    expect(await writer.get('product:1')).toEqual({ value: 'old', version: 1 });

    server.pause();
    await expect(writer.invalidate('product:1', 2)).resolves.toBeUndefined();
    expect(writer.stats().pendingInvalidations).toBe(1);
    expect(await writer.get('product:1')).toBeNull();
    expect(await writer.get('product:2')).toBeNull();
    server.resume();

    await eventually(settled(writer), { timeout: 10_000 });
    expect(await reader.set('product:1', 'old', 1, TTL)).toBe(false);
    expect(await writer.set('product:1', 'new', 2, TTL)).toBe(true);
    // Poll both instances for a while: once "new" is seen, "old" must never come back.
    const seen: Array<string | undefined> = [];
    for (let round = 0; round < 40; round += 1) {
      for (const cache of [writer, reader]) seen.push((await cache.get('product:1'))?.value);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(seen).not.toContain('old');
    expect(seen.at(-1)).toBe('new');
  });

  it('replays any number of pending marks, in batches', async () => {
    server = await startPrivateRedis();
    const cache = aCache({ breaker: { failureThreshold: 10_000 } });
    const keys = Array.from({ length: 1_200 }, (_, i) => `product:${i}`);
    expect(await cache.get('product:0')).toBeNull();
    server.pause();
    await Promise.all(keys.map((key) => cache.invalidate(key, 5)));
    expect(cache.stats()).toMatchObject({ pendingInvalidations: 1_200, breaker: 'closed' });
    server.resume();
    await eventually(settled(cache), { timeout: 10_000 });
    const refused = await Promise.all(keys.map((key) => cache.set(key, 'v4', 4, TTL)));
    expect(refused.every((stored) => !stored)).toBe(true);
    expect(cache.stats().epochBumps).toBe(0);
  });

  it('bumps the epoch when more keys were pending than it could keep', async () => {
    server = await startPrivateRedis();
    const cache = aCache({ maxPendingInvalidations: 1, breaker: { failureThreshold: 1_000 } });
    await cache.set('product:2', 'v1', 1, TTL);
    server.pause();
    await cache.invalidate('product:1', 2);
    await cache.invalidate('product:2', 2);
    expect(cache.stats().pendingInvalidations).toBe(1);
    server.resume();
    // The kept mark is replayed before the epoch is bumped: wait for both, not for the first alone.
    await eventually(() => expect(cache.stats()).toMatchObject({ pendingInvalidations: 0, epochBumps: 1 }), { timeout: 10_000 });
    expect(await cache.get('product:2')).toBeNull();
    expect(await cache.set('product:1', 'v1', 1, TTL)).toBe(false);
  });
});
