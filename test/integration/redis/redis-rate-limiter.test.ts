import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { RedisRateLimiter } from '../../../src/adapters/redis/index.js';
import { rateLimiterContract } from '../../contracts/rate-limiter.contract.js';
import { startPrivateRedis, TEST_COMMAND_TIMEOUT_MS, useSharedRedis } from '../../support/redis.js';

const redis = useSharedRedis();

// Windows end on Redis's own clock, so the contract's passing of time is real time here.
rateLimiterContract('Redis (shared test server, TEST_REDIS_URL)', async () => {
  const limiter = await RedisRateLimiter.connect({ url: redis.url, prefix: redis.prefix, commandTimeoutMs: TEST_COMMAND_TIMEOUT_MS });
  return { limiter, passTime: (ms) => sleep(ms), close: () => limiter.close() };
});

describe('RedisRateLimiter on an unreachable server', () => {
  it('refuses to connect with a readable message', async () => {
    await expect(RedisRateLimiter.connect({ url: 'redis://127.0.0.1:1' })).rejects.toThrow(/Redis is not reachable at redis:\/\/127\.0\.0\.1:1/);
  });

  it('throws while Redis is gone, stops asking after repeated failures, and counts again once it is back', async () => {
    const server = await startPrivateRedis();
    let clock = 0;
    const limiter = await RedisRateLimiter.connect({ url: server.url, commandTimeoutMs: TEST_COMMAND_TIMEOUT_MS, now: () => clock });
    try {
      expect((await limiter.hit('k', 60_000)).count).toBe(1);
      await server.kill();
      for (let i = 0; i < 5; i += 1) await expect(limiter.hit('k', 60_000)).rejects.toThrow();
      await expect(limiter.hit('k', 60_000)).rejects.toThrow(/circuit open/);
      await server.restart();
      clock += 2_000;
      await expect
        .poll(async () => limiter.hit('k', 60_000).then(({ count }) => count, () => ((clock += 2_000), -1)), { timeout: 20_000, interval: 100 })
        .toBeGreaterThan(0);
    } finally {
      await limiter.close();
      await server.close();
    }
  });
});
