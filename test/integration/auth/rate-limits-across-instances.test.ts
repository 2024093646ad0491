import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Built, ServiceDeps } from '../../../src/main/build-deps.js';
import { aNewProduct, aNewUser } from '../../support/mothers.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.js';
import { redisUrl, startPrivateRedis, TEST_COMMAND_TIMEOUT_MS } from '../../support/redis.js';
import { serviceDeps } from '../../support/service-deps.js';
import { appWith, jsonInit } from '../../http/support/http-harness.js';

let database: TestDatabase;
const built: Built<ServiceDeps>[] = [];
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  for (const service of built) await service.close();
  await database?.drop();
});

async function instance(env: Record<string, string>, logger?: pino.Logger) {
  const service = await serviceDeps(
    { DATABASE_URL: database.url, DATABASE_POOL_MAX: '2', REDIS_COMMAND_TIMEOUT_MS: String(TEST_COMMAND_TIMEOUT_MS), RATE_LIMIT_WRITES: '3', ...env },
    logger,
  );
  built.push(service);
  return appWith(service.deps.api, { metrics: service.deps.metrics }).app;
}

async function userKey(app: Awaited<ReturnType<typeof instance>>) {
  const response = await app.request('/users', jsonInit('POST', aNewUser()));
  return (await response.json()) as { id: number; api_key: string };
}

describe('rate limits on Redis', () => {
  it('two instances on one Redis share a key’s quota', async () => {
    const env = { REDIS_URL: await redisUrl(), REDIS_PREFIX: `test-rl-${randomBytes(4).toString('hex')}` };
    const [one, other] = [await instance(env), await instance(env)];
    const user = await userKey(one);
    const write = (app: typeof one) => app.request('/products', jsonInit('POST', aNewProduct(user.id), { authorization: `Bearer ${user.api_key}` }));
    expect([(await write(one)).status, (await write(other)).status, (await write(one)).status]).toEqual([201, 201, 201]);
    const refused = await write(other);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('ratelimit')).toMatch(/^"writes";r=0;t=\d+$/);
  });

  it('fails open when Redis goes away: the write succeeds, the log says so and /metrics counts it', async () => {
    const server = await startPrivateRedis();
    const lines: Record<string, unknown>[] = [];
    const logger = pino(
      { level: 'warn' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
          done();
        },
      }),
    );
    try {
      const app = await instance({ REDIS_URL: server.url }, logger);
      const user = await userKey(app);
      await server.kill();
      const response = await app.request('/products', jsonInit('POST', aNewProduct(user.id), { authorization: `Bearer ${user.api_key}` }));
      expect(response.status).toBe(201);
      expect(lines.some((line) => line.msg === 'rate limiter unavailable: requests are let through unlimited')).toBe(true);
      const metrics = await (await app.request('/metrics')).text();
      expect(metrics).toMatch(/^rate_limit_failed_open_total [1-9]\d*$/m);
    } finally {
      await server.close();
    }
  });
});
