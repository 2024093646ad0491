import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cacheKeys } from '../../../src/adapters/redis/cache-scripts.js';
import { RedisCache, type RedisCacheOptions } from '../../../src/adapters/redis/index.js';
import { type PrivateRedis, startPrivateRedis, TEST_COMMAND_TIMEOUT_MS } from '../../support/redis.js';
import { eventually } from '../../support/eventually.js';

const TTL = 60_000;
const aCache = (options: Partial<RedisCacheOptions>) =>
  new RedisCache({ url: server.url, commandTimeoutMs: TEST_COMMAND_TIMEOUT_MS, ...options });
let server: PrivateRedis;
beforeAll(async () => {
  server = await startPrivateRedis();
});
afterAll(async () => {
  await server.close();
});

describe("RedisCache's circuit breaker", () => {
  it('sends nothing while open, then one half-open probe that replays the marks, then bumps the epoch', async () => {
    let now = 0;
    const logger = { info: vi.fn(), warn: vi.fn() };
    const cache = aCache({ now: () => now, logger, breaker: { failureThreshold: 3, openMs: 1_000 } });
    const raw = new Redis(server.url);
    try {
      await cache.set('product:1', 'v1', 1, TTL);
      server.pause();
      const failed = [await cache.get('product:1'), await cache.set('product:2', 'v1', 1, TTL), await cache.get('product:1')];
      expect(failed).toEqual([null, false, null]);
      expect(cache.stats()).toMatchObject({ errors: 3, breaker: 'open' });
      expect(logger.warn).toHaveBeenCalledOnce();
      expect(logger.warn.mock.calls[0]?.[0]).toMatchObject({ reason: 'Command timed out', failureThreshold: 3, openMs: 1_000 });

      // The breaker's clock stands still, so it stays open however long these take.
      const sent = cache.stats().commands;
      server.resume();
      for (let i = 0; i < 10; i += 1) expect(await cache.get('product:1')).toBeNull();
      expect(await cache.set('product:1', 'v1', 1, TTL)).toBe(false);
      await cache.invalidate('product:1', 2);
      expect(cache.stats()).toMatchObject({ commands: sent, skipped: 12, pendingInvalidations: 1, breaker: 'open' });
      expect(await raw.exists(cacheKeys('catalog', 'product:1').mark)).toBe(0);

      now += 1_000;
      const gets = await Promise.all(Array.from({ length: 5 }, () => cache.get('product:1')));
      expect(gets).toEqual([null, null, null, null, null]);
      // The probe replays the mark, one more command bumps the epoch, then the five gets.
      expect(cache.stats()).toMatchObject({ commands: sent + 7, epochBumps: 1, pendingInvalidations: 0, breaker: 'closed' });
      expect(await raw.get(cacheKeys('catalog', 'product:1').mark)).toBe('2');
      expect(logger.info).toHaveBeenCalledWith({ epoch: 1 }, expect.stringContaining('epoch bumped'));
      expect(await cache.set('product:1', 'v2', 2, TTL)).toBe(true);
      expect(await cache.get('product:1')).toEqual({ value: 'v2', version: 2 });
    } finally {
      raw.disconnect();
      await cache.close();
    }
  });

  it('opens again when the half-open probe fails, after sending only that probe', async () => {
    let now = 0;
    const cache = aCache({ now: () => now, breaker: { failureThreshold: 2, openMs: 1_000 } });
    try {
      await cache.set('product:1', 'v1', 1, TTL);
      server.pause();
      await cache.get('product:1');
      await cache.get('product:1');
      expect(cache.stats().breaker).toBe('open');
      const sent = cache.stats().commands;
      now += 1_000;
      const during = await Promise.all([cache.get('product:1'), cache.set('product:1', 'v1', 1, TTL), cache.get('product:1')]);
      expect(during).toEqual([null, false, null]);
      expect(cache.stats()).toMatchObject({ commands: sent + 1, epochBumps: 0, breaker: 'open' });
      server.resume();
      now += 1_000;
      expect(await cache.get('product:1')).toBeNull();
      expect(cache.stats()).toMatchObject({ epochBumps: 1, breaker: 'closed' });
    } finally {
      server.resume();
      await cache.close();
    }
  });

  it('probes on its own timer, without traffic, once the open period is over', async () => {
    const cache = aCache({ breaker: { failureThreshold: 1, openMs: 100 } });
    try {
      await cache.set('product:1', 'v1', 1, TTL);
      server.pause();
      expect(await cache.get('product:1')).toBeNull();
      expect(cache.stats().breaker).toBe('open');
      server.resume();
      const recovered = () => expect(cache.stats()).toMatchObject({ epochBumps: 1, breaker: 'closed' });
      await eventually(recovered, { timeout: 10_000, interval: 50 });
    } finally {
      server.resume();
      await cache.close();
    }
  });
});
