import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCache } from '../../../src/adapters/redis/index.js';
import { cacheKeys } from '../../../src/adapters/redis/cache-scripts.js';
import { TEST_COMMAND_TIMEOUT_MS, useSharedRedis } from '../../support/redis.js';
import { freePort } from '../../support/spawn-service.js';

const redis = useSharedRedis();
const aKey = () => `product:${randomUUID()}`;
const TTL = 60_000;

let raw: Redis;
beforeAll(() => {
  raw = new Redis(redis.url);
});
afterAll(() => {
  raw.disconnect();
});

async function withCaches(count: number, use: (...caches: RedisCache[]) => Promise<void>): Promise<void> {
  const options = { url: redis.url, prefix: redis.prefix, commandTimeoutMs: TEST_COMMAND_TIMEOUT_MS };
  const caches = Array.from({ length: count }, () => new RedisCache(options));
  try {
    await use(...caches);
  } finally {
    await Promise.all(caches.map((cache) => cache.close()));
  }
}

describe('RedisCache on the shared server', () => {
  it('misses at once on another instance after an invalidation, and refuses its old version there', async () => {
    await withCaches(2, async (writer, reader) => {
      const key = aKey();
      await reader.set(key, 'v1', 1, TTL);
      expect(await writer.get(key)).toEqual({ value: 'v1', version: 1 });
      await writer.invalidate(key, 2);
      expect(await reader.get(key)).toBeNull();
      expect(await reader.set(key, 'v1', 1, TTL)).toBe(false);
      expect(await reader.set(key, 'v2', 2, TTL)).toBe(true);
      expect(await writer.get(key)).toEqual({ value: 'v2', version: 2 });
    });
  });

  it('retires every entry when any instance bumps the epoch', async () => {
    await withCaches(1, async (cache) => {
      const key = aKey();
      await cache.set(key, 'v1', 1, TTL);
      await raw.incr(cacheKeys(redis.prefix, key).epoch);
      expect(await cache.get(key)).toBeNull();
      expect(await cache.set(key, 'v1', 1, TTL)).toBe(true);
      expect(await cache.get(key)).toEqual({ value: 'v1', version: 1 });
    });
  });

  it('counts hits, misses, sets, refused sets, invalidations and commands', async () => {
    await withCaches(1, async (cache) => {
      const key = aKey();
      await cache.get(key);
      await cache.set(key, 'v2', 2, TTL);
      await cache.set(key, 'v1', 1, TTL);
      await cache.get(key);
      await cache.invalidate(key, 3);
      expect(cache.stats()).toEqual({
        hits: 1, misses: 1, sets: 1, refusedSets: 1, invalidations: 1,
        errors: 0, commands: 5, skipped: 0, epochBumps: 0, bumps: 0, pendingInvalidations: 0, breaker: 'closed',
      });
      const byName = Object.fromEntries(cache.metrics().map((sample) => [sample.name, sample.value]));
      expect(byName).toMatchObject({ redis_cache_hits_total: 1, redis_cache_commands_total: 5, redis_cache_pending_invalidations: 0, redis_cache_breaker_open: 0 });
    });
  });

  it('answers its readiness probe, and connects eagerly through RedisCache.connect', async () => {
    const cache = await RedisCache.connect({ url: redis.url, prefix: redis.prefix, commandTimeoutMs: TEST_COMMAND_TIMEOUT_MS });
    try {
      expect(cache.probe.name).toBe('redis');
      await expect(cache.probe.check()).resolves.toBeUndefined();
    } finally {
      await cache.close();
    }
  });

  it('does nothing once closed, and closes twice without complaint', async () => {
    const cache = new RedisCache({ url: redis.url, prefix: redis.prefix, commandTimeoutMs: TEST_COMMAND_TIMEOUT_MS });
    const key = aKey();
    await cache.set(key, 'v1', 1, TTL);
    await cache.close();
    await expect(cache.close()).resolves.toBeUndefined();
    await expect(cache.invalidate(key, 2)).resolves.toBeUndefined();
    expect(await cache.get(key)).toBeNull();
    expect(await cache.set(key, 'v3', 3, TTL)).toBe(false);
    await expect(cache.probe.check()).rejects.toThrow('closed');
    expect(await raw.exists(cacheKeys(redis.prefix, key).mark)).toBe(0);
  });
});

describe('RedisCache without a server', () => {
  let server: Server;
  let port: number;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    // Accepts connections and never answers: counts whether a connection was even tried.
    server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('does no I/O until first used, then fails open within the command timeout', async () => {
    const cache = new RedisCache({ url: `redis://127.0.0.1:${port}` });
    await new Promise((resolve) => setImmediate(resolve));
    expect(sockets).toHaveLength(0);
    expect(await cache.get('product:1')).toBeNull();
    expect(sockets).toHaveLength(1);
    await expect(cache.probe.check()).rejects.toThrow(/did not answer PING/);
    await cache.close();
  });

  it('refuses to connect eagerly with the address and the reason, password hidden', async () => {
    const closed = await freePort();
    const connecting = RedisCache.connect({ url: `redis://catalog:s3cret@127.0.0.1:${closed}` });
    await expect(connecting).rejects.toThrow(`Redis is not reachable at redis://catalog:[redacted]@127.0.0.1:${closed}: `);
    await expect(connecting).rejects.not.toThrow('s3cret');
  });

  it('reports the probe down when nothing listens', async () => {
    const cache = new RedisCache({ url: `redis://:s3cret@127.0.0.1:${await freePort()}` });
    const failure = await cache.probe.check().then(() => 'answered', (error: Error) => error.message);
    expect(failure).toMatch(/^Redis at redis:\/\/:\[redacted\]@127\.0\.0\.1:\d+ did not answer PING: /);
    await cache.close();
  });
});
