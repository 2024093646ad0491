import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCache, type RedisCacheOptions } from '../../../src/adapters/redis/index.js';
import { type PrivateRedis, startPrivateRedis, TEST_COMMAND_TIMEOUT_MS } from '../../support/redis.js';

const TTL = 60_000;
let server: PrivateRedis;
beforeAll(async () => {
  server = await startPrivateRedis();
});
afterAll(async () => {
  await server.close();
});
const aCache = (options: Partial<RedisCacheOptions> = {}) =>
  new RedisCache({ url: server.url, prefix: 'scoped-outage', commandTimeoutMs: TEST_COMMAND_TIMEOUT_MS, ...options });

describe('RedisCache scoped entries when a bump cannot be written', () => {
  it('serves nothing scoped until the epoch bump, which retires the old entries on every instance', async () => {
    let now = 0;
    const [writer, reader] = [aCache({ now: () => now, breaker: { failureThreshold: 1, openMs: 1_000 } }), aCache()];
    try {
      const { generation } = (await writer.getScoped('products-of:1', 'page'))!;
      expect(await writer.setScoped('products-of:1', 'page', 'before', generation, TTL)).toBe(true);
      server.pause();
      await writer.bump('products-of:1'); // fails: the breaker opens
      await writer.bump('products-of:1'); // skipped while open
      expect(writer.stats()).toMatchObject({ bumps: 2, skipped: 1, breaker: 'open' });
      server.resume();
      expect(await writer.getScoped('products-of:1', 'page')).toBeNull();
      expect(await writer.setScoped('products-of:1', 'page', 'during', generation, TTL)).toBe(false);

      now += 1_000;
      const healed = await writer.getScoped('products-of:1', 'page');
      expect(writer.stats()).toMatchObject({ epochBumps: 1, breaker: 'closed' });
      // (The timed-out bump may still have landed once Redis resumed: the generation is not pinned.)
      expect(healed?.value).toBeNull();
      // The reader never saw the outage, yet the entry is retired for it too.
      const read = await reader.getScoped('products-of:1', 'page');
      expect(read?.value).toBeNull();
      expect(await reader.setScoped('products-of:1', 'page', 'after', read!.generation, TTL)).toBe(true);
      expect((await writer.getScoped('products-of:1', 'page'))!.value).toBe('after');
    } finally {
      server.resume();
      await Promise.all([writer.close(), reader.close()]);
    }
  });

  it('answers null for a scoped read and false for a store that fail, and does nothing once closed', async () => {
    const cache = aCache();
    try {
      server.pause();
      expect(await cache.getScoped('products-of:2', 'page')).toBeNull();
      expect(await cache.setScoped('products-of:2', 'page', 'v', 1, TTL)).toBe(false);
      server.resume();
    } finally {
      server.resume();
      await cache.close();
    }
    await cache.bump('products-of:2');
    expect(cache.stats()).toMatchObject({ bumps: 1 });
  });
});
