import { afterEach, describe, expect, it } from 'vitest';
import { RedisCache } from '../../../src/adapters/redis/index.js';
import { startPrivateRedis, type PrivateRedis } from '../../support/redis.js';
import { eventually } from '../../support/eventually.js';

const TTL = 60_000;
let server: PrivateRedis | undefined;
let cache: RedisCache | undefined;
afterEach(async () => {
  await cache?.close();
  await server?.close();
});

// 200 callers, each looping over get, set and invalidate until stopped; collects whatever was thrown.
function traffic(target: RedisCache) {
  let running = true;
  let calls = 0;
  const thrown: unknown[] = [];
  const callers = Array.from({ length: 200 }, async (_, caller) => {
    for (let round = 0; running; round += 1) {
      const key = `product:${(caller + round) % 50}`;
      try {
        if (caller % 10 === 0) await target.invalidate(key, round + 1);
        else if (caller % 2 === 1) await target.get(key);
        else await target.set(key, 'value', round, TTL);
      } catch (error) {
        thrown.push(error);
      }
      calls += 1;
      // Calls answered from memory would otherwise starve timers and I/O.
      await new Promise((resolve) => setImmediate(resolve));
    }
  });
  return {
    calls: () => calls,
    stop: async () => {
      running = false;
      await Promise.all(callers);
      return thrown;
    },
  };
}

describe('RedisCache when its server is killed mid-traffic', () => {
  it('throws nothing, reports the probe down, and works again after a restart on the same port', async () => {
    server = await startPrivateRedis();
    const live = new RedisCache({ url: server.url, breaker: { openMs: 200 } });
    cache = live;
    const load = traffic(live);
    await eventually(() => expect(load.calls()).toBeGreaterThan(1_000));
    await server.kill();
    const callsAtKill = load.calls();
    await eventually(() => {
      expect(live.stats().breaker).toBe('open');
      expect(load.calls()).toBeGreaterThan(callsAtKill + 1_000);
    });
    expect(await load.stop()).toEqual([]);
    expect(live.stats().errors).toBeGreaterThan(0);
    await expect(live.probe.check()).rejects.toThrow(/did not answer PING/);

    await server.restart();
    // A key the traffic never touched: the others hold the marks replayed after the restart.
    const fresh = 'product:after-restart';
    await eventually(async () => expect(await live.set(fresh, 'after restart', 1, TTL)).toBe(true));
    expect(await live.get(fresh)).toEqual({ value: 'after restart', version: 1 });
    await expect(live.probe.check()).resolves.toBeUndefined();
    expect(live.stats()).toMatchObject({ breaker: 'closed', pendingInvalidations: 0 });
    expect(live.stats().epochBumps).toBeGreaterThanOrEqual(1);
  });
});
