import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCache, type RedisCacheOptions } from '../../../src/adapters/redis/index.js';
import { cacheKeys } from '../../../src/adapters/redis/cache-scripts.js';
import { type PrivateRedis, startPrivateRedis, TEST_COMMAND_TIMEOUT_MS } from '../../support/redis.js';
import { eventually } from '../../support/eventually.js';

const TTL = 60_000;
const aCache = (breaker?: RedisCacheOptions['breaker']) =>
  new RedisCache({ url: server.url, commandTimeoutMs: TEST_COMMAND_TIMEOUT_MS, breaker });
let server: PrivateRedis;
beforeAll(async () => {
  server = await startPrivateRedis();
});
afterAll(async () => {
  await server.close();
});

/*
 * What this proves: an invalidation lost with the instance that owed it (A: its breaker was open,
 * so the mark never reached Redis, and it went away before replaying) does not leave a stale entry
 * once Redis is back, provided some surviving instance saw the outage (B). B's first probe after
 * the outage bumps the epoch before it trusts anything, and because every script reads the epoch,
 * the stale entry is retired at that moment for every instance, including one that saw nothing (C).
 * The entry itself is still in Redis under the old epoch: the epoch, not a delete, retired it.
 */
describe('RedisCache after an outage another instance saw', () => {
  it('stops serving entries that a vanished instance failed to invalidate', async () => {
    const a = aCache({ failureThreshold: 1, openMs: 600_000 });
    const b = aCache({ failureThreshold: 2, openMs: 300 });
    const c = aCache();
    const raw = new Redis(server.url);
    try {
      await b.set('product:1', 'stale', 1, TTL);
      for (const cache of [a, b, c]) expect(await cache.get('product:1')).toEqual({ value: 'stale', version: 1 });

      server.pause();
      expect(await a.get('product:2')).toBeNull();
      expect(a.stats().breaker).toBe('open');
      const sentByA = a.stats().commands;
      await a.invalidate('product:1', 2);
      expect(a.stats()).toMatchObject({ commands: sentByA, pendingInvalidations: 1 });
      while (b.stats().breaker !== 'open') expect(await b.get('product:1')).toBeNull();
      // A goes away with its mark still owed (close replays only when the breaker lets it).
      await a.close();
      server.resume();

      await eventually(() => expect(b.stats().epochBumps).toBe(1), { timeout: 10_000 });
      const keys = cacheKeys('catalog', 'product:1');
      expect(await raw.exists(keys.mark)).toBe(0);
      expect(await raw.get(keys.entry)).toBe('0:1:stale');
      expect(await c.get('product:1')).toBeNull();
      expect(await b.get('product:1')).toBeNull();
      expect(await c.set('product:1', 'fresh', 2, TTL)).toBe(true);
      expect(await b.get('product:1')).toEqual({ value: 'fresh', version: 2 });
    } finally {
      raw.disconnect();
      await Promise.all([a, b, c].map((cache) => cache.close()));
    }
  });
});
