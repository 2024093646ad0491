import { createServer } from 'node:net';
import { mkdtemp, rm, utimes } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../../src/adapters/fs/index.js';
import { loadConfig } from '../../../src/main/config.js';
import { startService } from '../../../src/main/start-service.js';
import { ADMIN_AUTHORIZATION, TEST_ADMIN_KEY } from '../../support/admin-key.js';
import { eventually } from '../../support/eventually.js';
import { createTestDatabase } from '../../support/postgres.js';
import { RedisApiLoad } from '../../../src/adapters/redis/index.js';
import { startPrivateRedis, useSharedRedis } from '../../support/redis.js';

const silent = pino({ level: 'silent' });
const sharedRedis = useSharedRedis();
/** The API-load tests need neither the cache nor the rate limiter on Redis. */
const FEWER_REDIS_CLIENTS = { CACHE_ENABLED: 'false', RATE_LIMIT_ENABLED: 'false' };

/** Keeps this process's event loop busy for `ms`: what a flood of requests does to the API's. */
function blockLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy on purpose
  }
}
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'catalog-start-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

// Each test opens an embedded database or a server: tens of seconds for some on a busy machine.
describe('startService', { timeout: 90_000 }, () => {
  it('serves on the embedded database and stops', async () => {
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, PUBLIC_BASE_URL: 'https://api.example.com' });
    const service = await startService(config, silent, ['api']);
    try {
      expect(service.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await fetch(`${service.url}/healthz`);
      expect(health.status).toBe(200);
      const ready = await fetch(`${service.url}/readyz`);
      expect(await ready.json()).toMatchObject({ status: 'ready', checks: expect.arrayContaining([{ name: 'pglite', ok: true }, { name: 'objects', ok: true }]) });
    } finally {
      await service.close();
    }
    await expect(fetch(`${service.url}/healthz`)).rejects.toThrow();
  });

  it('serves /healthz, /readyz and /metrics on WORKER_PORT when it runs the worker alone', async () => {
    const database = await createTestDatabase();
    const service = await startService(loadConfig({ WORKER_PORT: '0', HOST: '127.0.0.1', DATABASE_URL: database.url, DATABASE_POOL_MAX: '2', DATA_DIR: dataDir }), silent, ['worker']);
    try {
      expect(service.url).toBeUndefined();
      expect(service.opsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${service.opsUrl}/healthz`)).status).toBe(200);
      expect(await (await fetch(`${service.opsUrl}/readyz`)).json()).toMatchObject({ status: 'ready' });
      expect(await (await fetch(`${service.opsUrl}/metrics`)).text()).toMatch(/^process_cpu_user_seconds_total \d/m);
    } finally {
      await service.close();
      await database.drop();
    }
    await expect(fetch(`${service.opsUrl}/healthz`)).rejects.toThrow();
  });

  it('serves on PostgreSQL when DATABASE_URL is set', async () => {
    const database = await createTestDatabase();
    try {
      const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: database.url, DATABASE_POOL_MAX: '4' });
      const service = await startService(config, silent, ['api', 'worker']);
      try {
        const ready = await fetch(`${service.url}/readyz`);
        expect(await ready.json()).toMatchObject({ status: 'ready', checks: expect.arrayContaining([{ name: 'postgres', ok: true }]) });
      } finally {
        await service.close();
      }
    } finally {
      await database.drop();
    }
  });

  it('runs the periodic orphan sweep in the worker with GC_INTERVAL_MS, and stops it with the service', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'catalog-sweeps-'));
    const lines: Record<string, unknown>[] = [];
    const capture = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>), done()) });
    try {
      const store = new FsObjectStore({ root: join(dir, 'objects'), publicBaseUrl: 'http://unused' });
      await store.put('images/orphan.webp', new Uint8Array(9), 'image/webp');
      const twoDaysAgo = new Date(Date.now() - 48 * 3_600_000);
      await utimes(join(dir, 'objects', 'data', 'images', 'orphan.webp'), twoDaysAgo, twoDaysAgo);
      const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, GC_INTERVAL_MS: '50', ADMIN_API_KEY: TEST_ADMIN_KEY });
      const service = await startService(config, pino({ level: 'info' }, capture), ['api']);
      try {
        await eventually(async () => expect(await store.exists('images/orphan.webp')).toBe(false));
        // The sweep logs after its last delete: wait for the line, not just for the object to go.
        await eventually(() =>
          expect(lines.find((line) => line.msg === 'orphan sweep finished' && line.deleted === 1)).toMatchObject({ found: 1, deleted: 1, bytes_freed: 9, kept: 0 }),
        );
      } finally {
        await service.close();
      }
      const sweeps = lines.filter((line) => line.msg === 'orphan sweep finished').length;
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(lines.filter((line) => line.msg === 'orphan sweep finished')).toHaveLength(sweeps);
      expect(lines.at(-1)).toMatchObject({ msg: 'service stopped' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails readably when PostgreSQL is unreachable', async () => {
    const config = loadConfig({ PORT: '0', DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' });
    await expect(startService(config, silent, ['api'])).rejects.toThrow(/./);
  });

  it('releases the database when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const config = loadConfig({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir });
      await expect(startService(config, silent, ['api'])).rejects.toThrow(/EADDRINUSE/);
      // The embedded database was closed: opening it again works.
      const again = await startService(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir }), silent, ['api']);
      await again.close();
    } finally {
      blocker.close();
    }
  });

  it('uses Redis when REDIS_URL is set, reporting it as optional for readiness', async () => {
    const redis = await startPrivateRedis();
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, REDIS_URL: redis.url });
    const service = await startService(config, silent, ['api']);
    try {
      const ready = await fetch(`${service.url}/readyz`);
      expect(await ready.json()).toMatchObject({ status: 'ready', checks: expect.arrayContaining([{ name: 'redis', ok: true, optional: true }]) });
      await redis.kill();
      const degraded = await fetch(`${service.url}/readyz`);
      expect(degraded.status).toBe(200);
      expect(await degraded.json()).toMatchObject({ status: 'ready', checks: expect.arrayContaining([{ name: 'redis', ok: false, optional: true }]) });
    } finally {
      await service.close();
      await redis.close();
    }
  });

  it('refuses to start when Redis is unreachable at startup', async () => {
    const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, REDIS_URL: 'redis://127.0.0.1:1' });
    await expect(startService(config, silent, ['api'])).rejects.toThrow(/Redis is not reachable at redis:\/\/127\.0\.0\.1:1/);
  });

  it('can run with the cache turned off', async () => {
    const service = await startService(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, CACHE_ENABLED: 'false', ADMIN_API_KEY: TEST_ADMIN_KEY }), silent, ['api']);
    try {
      const user = await fetch(`${service.url}/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...ADMIN_AUTHORIZATION },
        body: JSON.stringify({ name: 'Off', email: `off-${Date.now()}@example.com` }),
      });
      const { id: user_id } = (await user.json()) as { id: number };
      const product = await fetch(`${service.url}/products`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...ADMIN_AUTHORIZATION },
        body: JSON.stringify({ user_id, product_name: 'Off', product_description: '', product_images: [], product_price: 1 }),
      });
      const { id } = (await product.json()) as { id: number };
      for (const _ of [1, 2]) expect((await fetch(`${service.url}/products/${id}`)).headers.get('x-cache')).toBe('MISS');
    } finally {
      await service.close();
    }
  });

  it('with REDIS_URL, an API process marks its HOST_ID saturated while its event loop is saturated, and not while idle', async () => {
    const host = `host-${Date.now()}`;
    // Only the Redis clients these tests need: each is one more connect a loaded machine can stall past its 2 s.
    const config = loadConfig({ ...FEWER_REDIS_CLIENTS, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, REDIS_URL: sharedRedis.url, REDIS_PREFIX: sharedRedis.prefix, HOST_ID: host });
    const service = await startService(config, silent, ['api']);
    const load = await RedisApiLoad.connect({ url: sharedRedis.url, prefix: sharedRedis.prefix });
    try {
      // Start-up work may have filled the first intervals; a mark lasts a second.
      await eventually(async () => expect(await load.isSaturated(host)).toBe(false), { timeout: 10_000 });
      // Long enough that the interval it falls in is busy for 0.8 and more wherever it begins:
      // 2 s busy against at most 250 ms idle before it.
      blockLoop(2_000);
      await eventually(async () => expect(await load.isSaturated(host)).toBe(true), { timeout: 5_000 });
      expect(await load.isSaturated('another-host')).toBe(false);
    } finally {
      await load.close();
      await service.close();
    }
  });

  it('with REDIS_URL, a worker-only process yields while its HOST_ID is marked saturated, and says so on /metrics', async () => {
    const database = await createTestDatabase();
    const host = `host-${Date.now()}`;
    const env = { ...FEWER_REDIS_CLIENTS, WORKER_PORT: '0', HOST: '127.0.0.1', DATABASE_URL: database.url, DATABASE_POOL_MAX: '2', DATA_DIR: dataDir };
    const service = await startService(loadConfig({ ...env, REDIS_URL: sharedRedis.url, REDIS_PREFIX: sharedRedis.prefix, HOST_ID: host }), silent, ['worker']);
    const load = await RedisApiLoad.connect({ url: sharedRedis.url, prefix: sharedRedis.prefix });
    const yielding = async () => /^worker_yielding (\d)$/m.exec(await (await fetch(`${service.opsUrl}/metrics`)).text())?.[1];
    try {
      expect(await yielding()).toBe('0');
      await load.markSaturated(host, 2_000);
      await eventually(async () => expect(await yielding()).toBe('1'), { timeout: 5_000 });
      await eventually(async () => expect(await yielding()).toBe('0'), { timeout: 10_000 });
    } finally {
      await load.close();
      await service.close();
      await database.drop();
    }
  });

  it('with WORKER_YIELD_DUTY=1, a worker never yields and reports no yielding', async () => {
    const database = await createTestDatabase();
    const env = { ...FEWER_REDIS_CLIENTS, WORKER_PORT: '0', HOST: '127.0.0.1', DATABASE_URL: database.url, DATABASE_POOL_MAX: '2', DATA_DIR: dataDir, REDIS_URL: sharedRedis.url, REDIS_PREFIX: sharedRedis.prefix };
    const service = await startService(loadConfig({ ...env, WORKER_YIELD_DUTY: '1' }), silent, ['worker']);
    try {
      expect(await (await fetch(`${service.opsUrl}/metrics`)).text()).not.toMatch(/worker_yielding/);
    } finally {
      await service.close();
      await database.drop();
    }
  });
});
