import { Cluster, Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../../src/adapters/redis/circuit-breaker.js';
import { PendingInvalidations } from '../../../src/adapters/redis/pending-invalidations.js';
import { clientOptions, clusterTarget, createRedisClient, pingWithin, reasonOf, resolveSettings } from '../../../src/adapters/redis/redis-cache-options.js';
import { redactUrlPasswords } from '../../../src/application/redaction.js';

// Pure units of the Redis adapter; they live beside its integration tests.
describe('CircuitBreaker', () => {
  const aBreaker = () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 3, openMs: 1_000 }, () => now);
    return { breaker, advance: (ms: number) => void (now += ms) };
  };

  it('opens after the threshold of consecutive failures, and a success resets the count', () => {
    const { breaker } = aBreaker();
    expect([breaker.failure(), breaker.failure()]).toEqual([false, false]);
    breaker.success();
    expect([breaker.failure(), breaker.failure(), breaker.failure()]).toEqual([false, false, true]);
    expect(breaker.state).toBe('open');
    expect(breaker.failure()).toBe(false);
  });

  it('lets one probe through once open long enough; its outcome closes or reopens', () => {
    const { breaker, advance } = aBreaker();
    expect(breaker.msUntilProbe()).toBe(0);
    for (let i = 0; i < 3; i += 1) breaker.failure();
    advance(400);
    expect(breaker.msUntilProbe()).toBe(600);
    expect(breaker.tryProbe()).toBe(false);
    breaker.success();
    expect(breaker.state).toBe('open');
    advance(600);
    expect([breaker.tryProbe(), breaker.tryProbe()]).toEqual([true, false]);
    expect(breaker.failure()).toBe(false);
    expect(breaker.msUntilProbe()).toBe(1_000);
    advance(1_000);
    expect(breaker.tryProbe()).toBe(true);
    breaker.success();
    expect(breaker.state).toBe('closed');
  });
});

describe('PendingInvalidations', () => {
  it('keeps the highest version per key and forgets only what was written at or above it', () => {
    const pending = new PendingInvalidations(10);
    pending.add('a', 3);
    pending.add('a', 2);
    pending.add('b', 1);
    expect(pending.batch(1)).toEqual([['a', 3]]);
    pending.settle([['a', 2], ['b', 1], ['c', 9]]);
    expect(pending.batch(10)).toEqual([['a', 3]]);
  });

  it('drops new keys past its bound and says so, still raising the ones it keeps', () => {
    const pending = new PendingInvalidations(1);
    expect([pending.add('a', 1), pending.add('b', 1), pending.add('a', 2)]).toEqual([true, false, true]);
    expect(pending.batch(10)).toEqual([['a', 2]]);
  });
});

describe('RedisCache settings', () => {
  it('fails fast by default and reconnects with a capped backoff', () => {
    const options = clientOptions(resolveSettings({ url: 'redis://127.0.0.1:6379' }));
    expect(options).toMatchObject({ lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 50 });
    expect([1, 2, 3, 5, 10].map((attempt) => options.retryStrategy?.(attempt))).toEqual([100, 200, 400, 1_600, 2_000]);
  });

  it('describes errors and other thrown values', () => {
    expect([reasonOf(new Error('boom')), reasonOf('plain')]).toEqual(['boom', 'plain']);
  });
});

describe('clusterTarget', () => {
  it('reads the seed nodes and credentials of a redis-cluster URL', () => {
    expect(clusterTarget('redis-cluster://127.0.0.1:7000,redis-b:7001,[::1]:7002/')).toEqual({
      nodes: [{ host: '127.0.0.1', port: 7000 }, { host: 'redis-b', port: 7001 }, { host: '::1', port: 7002 }],
    });
    expect(clusterTarget('redis-cluster://app:p%40ss@h:1')).toEqual({ nodes: [{ host: 'h', port: 1 }], username: 'app', password: 'p@ss' });
    expect(clusterTarget('redis-cluster://:secret@h:1')).toEqual({ nodes: [{ host: 'h', port: 1 }], password: 'secret' });
    expect(redactUrlPasswords('redis-cluster://app:secret@h:1,h:2')).toBe('redis-cluster://app:[redacted]@h:1,h:2');
  });

  it('is undefined for one server, and refuses a node without a port', () => {
    expect(clusterTarget('redis://127.0.0.1:6379')).toBeUndefined();
    expect(() => clusterTarget('redis-cluster://h:1,h')).toThrow('"h" is not host:port');
    expect(() => clusterTarget('redis-cluster://h:99999')).toThrow('not host:port');
  });

  it('builds a Cluster client for a cluster URL and a plain one otherwise, neither connecting', () => {
    const cluster = createRedisClient(resolveSettings({ url: 'redis-cluster://127.0.0.1:1,127.0.0.1:2' }));
    const single = createRedisClient(resolveSettings({ url: 'redis://127.0.0.1:1' }));
    expect(cluster).toBeInstanceOf(Cluster);
    expect(single).toBeInstanceOf(Redis);
    expect([cluster.status, single.status]).toEqual(['wait', 'wait']);
    cluster.disconnect();
    single.disconnect();
  });
});

describe('pingWithin', () => {
  it('asks again while PING times out, and answers once Redis does', async () => {
    let calls = 0;
    const slowThenReady = { ping: async () => (++calls < 3 ? Promise.reject(new Error('Command timed out')) : 'PONG') };
    await expect(pingWithin(slowThenReady, 2_000)).resolves.toBeUndefined();
    expect(calls).toBe(3);
  });

  it('gives up with the last error once the time is spent', async () => {
    const never = { ping: async () => Promise.reject(new Error('Command timed out')) };
    await expect(pingWithin(never, 120)).rejects.toThrow('Command timed out');
  });
});
