import { randomUUID } from 'node:crypto';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { RedisCache, RedisRateLimiter } from '../../../src/adapters/redis/index.js';
import { cacheKeys } from '../../../src/adapters/redis/cache-scripts.js';
import { cacheContract } from '../../contracts/cache.contract.js';
import { scopedCacheContract } from '../../contracts/scoped-cache.contract.js';
import { rateLimiterContract } from '../../contracts/rate-limiter.contract.js';
import { TEST_COMMAND_TIMEOUT_MS } from '../../support/redis.js';
import { startRedisCluster, type RedisClusterFixture } from '../../support/redis-cluster.js';

// The same cache and rate limiter on a 3-master Redis Cluster started from the machine's redis-server: every
// script declares its keys and touches one slot, or the cluster refuses it (CROSSSLOT, MOVED).

let cluster: RedisClusterFixture;
beforeAll(async () => {
  cluster = await startRedisCluster(3);
}, 60_000);
afterAll(async () => {
  await cluster?.close();
});

const TTL = 60_000;
const aCache = (prefix: string, tombstoneTtlMs = 60_000) =>
  new RedisCache({ url: cluster.url, prefix, commandTimeoutMs: TEST_COMMAND_TIMEOUT_MS, tombstoneTtlMs });

cacheContract('Redis Cluster (3 masters, redis-cluster://)', async ({ tombstoneTtlMs }) => {
  const cache = aCache(`cluster-${randomUUID()}`, tombstoneTtlMs);
  return { cache, close: () => cache.close() };
});

scopedCacheContract('Redis Cluster (3 masters, two instances)', async () => {
  const prefix = `cluster-${randomUUID()}`;
  const caches = [aCache(prefix), aCache(prefix)] as const;
  return { caches, close: async () => void (await Promise.all(caches.map((cache) => cache.close()))) };
});

rateLimiterContract('Redis Cluster (3 masters, redis-cluster://)', async () => {
  const limiter = await RedisRateLimiter.connect({ url: cluster.url, prefix: `cluster-${randomUUID()}`, commandTimeoutMs: TEST_COMMAND_TIMEOUT_MS });
  return { limiter, passTime: (ms) => sleep(ms), close: () => limiter.close() };
});

describe('RedisCache on a Redis Cluster', () => {
  it('spreads entries over the masters and retires them all with one epoch bump', async () => {
    const prefix = `cluster-${randomUUID()}`;
    const [writer, reader] = [aCache(prefix), aCache(prefix)];
    const raw = new Cluster(cluster.ports.map((port) => ({ host: '127.0.0.1', port })));
    try {
      const keys = Array.from({ length: 30 }, (_, i) => `product:${i}`);
      for (const key of keys) expect(await writer.set(key, `v-${key}`, 1, TTL)).toBe(true);
      for (const key of keys) expect(await reader.get(key)).toEqual({ value: `v-${key}`, version: 1 });
      // Each key's entry and mark share a slot; the keys themselves land on every master.
      const slots = await Promise.all(keys.map(async (key) => {
        const { entry, mark } = cacheKeys(prefix, key);
        const [a, b] = [await raw.call('CLUSTER', 'KEYSLOT', entry), await raw.call('CLUSTER', 'KEYSLOT', mark)];
        expect(a).toBe(b);
        return Number(a);
      }));
      const owners = new Set(slots.map((slot) => raw.slots[slot]?.[0]));
      expect(owners.size).toBe(3);

      await writer.invalidate('product:0', 2);
      expect(await reader.get('product:0')).toBeNull();
      expect(await reader.set('product:0', 'old', 1, TTL)).toBe(false);

      await raw.incr(cacheKeys(prefix, 'product:1').epoch);
      for (const key of keys) expect(await reader.get(key)).toBeNull();
      expect(await reader.set('product:1', 'fresh', 1, TTL)).toBe(true);
      expect(await writer.get('product:1')).toEqual({ value: 'fresh', version: 1 });
      expect(writer.stats().errors + reader.stats().errors).toBe(0);
    } finally {
      raw.disconnect();
      await Promise.all([writer.close(), reader.close()]);
    }
  });

  it('connects eagerly and answers its probe through any seed', async () => {
    const cache = await RedisCache.connect({ url: cluster.url, prefix: `cluster-${randomUUID()}`, commandTimeoutMs: TEST_COMMAND_TIMEOUT_MS });
    try {
      await expect(cache.probe.check()).resolves.toBeUndefined();
    } finally {
      await cache.close();
    }
  });
});
