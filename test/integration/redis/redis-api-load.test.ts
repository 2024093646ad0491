import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { RedisApiLoad } from '../../../src/adapters/redis/index.js';
import { apiLoadContract } from '../../contracts/api-load.contract.js';
import { useSharedRedis } from '../../support/redis.js';

const redis = useSharedRedis();

// Marks expire on Redis's own clock, so the contract's passing of time is real time here.
apiLoadContract('Redis (shared test server, TEST_REDIS_URL)', async () => {
  const load = await RedisApiLoad.connect({ url: redis.url, prefix: redis.prefix });
  return { load, passTime: (ms) => sleep(ms), close: () => load.close() };
});

describe('RedisApiLoad on an unreachable server', () => {
  it('refuses to connect with a readable message', async () => {
    await expect(RedisApiLoad.connect({ url: 'redis://127.0.0.1:1' })).rejects.toThrow(/Redis is not reachable at redis:\/\/127\.0\.0\.1:1/);
  });
});
