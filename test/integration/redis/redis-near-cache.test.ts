import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisCache } from '../../../src/adapters/redis/index.js';
import { cacheContract } from '../../contracts/cache.contract.js';
import { eventually } from '../../support/eventually.js';
import { TEST_COMMAND_TIMEOUT_MS, useSharedRedis } from '../../support/redis.js';

const redis = useSharedRedis();
const LONG_TTL = 60_000;
const local = { maxBytes: 1024 * 1024, keyPrefix: 'product:' };

// The port's behaviour does not change with copies held in this process.
cacheContract('Redis with local copies (shared test server)', async ({ tombstoneTtlMs }) => {
  const cache = await RedisCache.connect({ url: redis.url, prefix: redis.prefix, commandTimeoutMs: TEST_COMMAND_TIMEOUT_MS, tombstoneTtlMs, local });
  return { cache, close: () => cache.close() };
});

describe('RedisCache local copies across instances', () => {
  let raw: Redis;
  const open: RedisCache[] = [];
  const instance = async (prefix = redis.prefix) => {
    const cache = await RedisCache.connect({ url: redis.url, prefix, commandTimeoutMs: TEST_COMMAND_TIMEOUT_MS, local });
    open.push(cache);
    return cache;
  };
  const localHits = (cache: RedisCache) => cache.stats().local?.localHits ?? 0;
  // A store makes Redis broadcast an invalidation of its key, which poisons a read in flight when
  // it arrives: the first read after a store may not be copied, a later one is.
  const copied = (cache: RedisCache, key: string) =>
    eventually(async () => {
      await cache.get(key);
      expect(cache.stats().local?.localEntries).toBe(1);
    });
  beforeAll(() => {
    raw = new Redis(redis.url);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((cache) => cache.close()));
  });
  afterAll(() => raw.disconnect());

  it('serves a read from its copy once Redis answered it, and counts it', async () => {
    const cache = await instance();
    const key = `product:${randomUUID()}`;
    expect(await cache.set(key, 'v1', 1, LONG_TTL)).toBe(true);
    await copied(cache, key);
    const before = localHits(cache);
    const syncs = cache.stats().local!.syncs;
    expect(await Promise.all([cache.get(key), cache.get(key), cache.get(key)])).toEqual([0, 1, 2].map(() => ({ value: 'v1', version: 1 })));
    expect(localHits(cache) - before).toBe(3);
    const stats = cache.stats().local!;
    // Three reads of one turn waited for one PING.
    expect(stats.syncs - syncs).toBe(1);
    expect(stats).toMatchObject({ armed: true, localEntries: 1 });
    expect((await cache.metrics()).map((sample) => sample.name)).toEqual(expect.arrayContaining(['redis_cache_local_hits_total', 'redis_cache_local_armed']));
  });

  it('never copies keys outside its prefix', async () => {
    const cache = await instance();
    const key = `user:${randomUUID()}`;
    await cache.set(key, 'u1', 1, LONG_TTL);
    expect(await cache.get(key)).toEqual({ value: 'u1', version: 1 });
    expect(localHits(cache)).toBe(0);
    expect(cache.stats().local?.localEntries).toBe(0);
  });

  it('shows 0 stale reads in 300 writes through another instance, each read right after the write returned', async () => {
    const [writer, reader] = await Promise.all([instance(), instance()]);
    let stale = 0;
    for (let round = 0; round < 300; round += 1) {
      const key = `product:${round % 10}-${redis.prefix}`;
      const version = Math.floor(round / 10) * 2 + 1;
      // The reader holds the current version (copied by the first read or the second)...
      await writer.set(key, `v${version}`, version, LONG_TTL);
      for (const _ of [1, 2, 3]) expect(await reader.get(key)).toEqual({ value: `v${version}`, version });
      // ...and the writer changes it: the reader's next read must not show the copy.
      await writer.invalidate(key, version + 1);
      const seen = await reader.get(key);
      if (seen !== null) stale += 1;
    }
    expect(stale).toBe(0);
    // Most reads after the first were answered from the copy, so the copies were really tested.
    expect(localHits(reader)).toBeGreaterThanOrEqual(300);
  });

  it('drops every copy when another instance bumps the shared epoch', async () => {
    const cache = await instance();
    const key = `product:${randomUUID()}`;
    await cache.set(key, 'v1', 1, LONG_TTL);
    await copied(cache, key);
    await raw.incr(`${redis.prefix}:epoch`);
    expect(await cache.get(key)).toBeNull();
    expect(cache.stats().local?.localEntries).toBe(0);
  });

  it('drops its copies and stops serving them when the tracking connection is killed, then sets tracking up again', async () => {
    const prefix = `${redis.prefix}-kill`;
    const cache = await instance(prefix);
    const key = `product:${randomUUID()}`;
    await cache.set(key, 'v1', 1, LONG_TTL);
    await copied(cache, key);
    expect(cache.stats().local?.arms).toBe(1);
    const clients = (await raw.client('LIST')) as string;
    const id = /id=(\d+) .*name=(\S+)/g;
    const ours = [...clients.matchAll(id)].filter((match) => match[2] === `${prefix}:near-cache:listener`).map((match) => match[1]!);
    expect(ours).toHaveLength(1);
    await raw.client('KILL', 'ID', ours[0]!);
    // Set up again on fresh connections, with nothing kept from before.
    await eventually(() => expect(cache.stats().local).toMatchObject({ arms: 2, armed: true }));
    expect(cache.stats().local?.localEntries).toBe(0);
    await cache.set(key, 'v2', 2, LONG_TTL);
    await copied(cache, key);
    const before = localHits(cache);
    expect(await cache.get(key)).toEqual({ value: 'v2', version: 2 });
    expect(localHits(cache)).toBe(before + 1);
  });

  it('holds no copies for a Redis Cluster URL (tracking is per node there)', () => {
    const cache = new RedisCache({ url: 'redis-cluster://127.0.0.1:1,127.0.0.1:2', local });
    expect(cache.stats().local).toBeUndefined();
    return cache.close();
  });
});
