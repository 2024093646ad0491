import { RedisCache } from '../../../src/adapters/redis/index.js';
import { cacheContract } from '../../contracts/cache.contract.js';
import { scopedCacheContract } from '../../contracts/scoped-cache.contract.js';
import { TEST_COMMAND_TIMEOUT_MS, useSharedRedis } from '../../support/redis.js';

const redis = useSharedRedis();

cacheContract('Redis (shared test server, TEST_REDIS_URL)', async ({ tombstoneTtlMs }) => {
  const cache = new RedisCache({ url: redis.url, prefix: redis.prefix, commandTimeoutMs: TEST_COMMAND_TIMEOUT_MS, tombstoneTtlMs });
  return { cache, close: () => cache.close() };
});

scopedCacheContract('Redis (shared test server, two instances)', async () => {
  const caches = [0, 1].map(() => new RedisCache({ url: redis.url, prefix: redis.prefix, commandTimeoutMs: TEST_COMMAND_TIMEOUT_MS })) as [RedisCache, RedisCache];
  return { caches, close: async () => void (await Promise.all(caches.map((cache) => cache.close()))) };
});
