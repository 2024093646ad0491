import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTHORIZATION } from '../support/admin-key.js';
import { eventually } from '../support/eventually.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { redisUrl } from '../support/redis.js';
import { spawnService, type SpawnedService } from '../support/spawn-service.js';
import { parseApiKey } from '../../src/domain/index.js';

let database: TestDatabase;
let one: SpawnedService;
let other: SpawnedService;

// Two `npm run start:api` processes on one PostgreSQL database and one Redis.
beforeAll(async () => {
  database = await createTestDatabase();
  const env = { DATABASE_URL: database.url, DATABASE_POOL_MAX: '2', REDIS_URL: await redisUrl(), REDIS_PREFIX: `e2e-auth-${randomBytes(4).toString('hex')}`, RATE_LIMIT_WRITES: '4' };
  [one, other] = await Promise.all([spawnService('api.ts', env, 60_000), spawnService('api.ts', env, 60_000)]);
}, 90_000);
afterAll(async () => {
  await Promise.all([one?.stop('SIGTERM'), other?.stop('SIGTERM')]);
  await database?.drop();
});

const post = (base: string, path: string, body: unknown, headers: Record<string, string>) =>
  fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
const product = (user_id: number) => ({ user_id, product_name: 'Keyed', product_description: '', product_images: [], product_price: 1 });

async function newUser(): Promise<{ id: number; api_key: string }> {
  const response = await post(one.url, '/users', { name: 'Keyed', email: `keyed-${randomBytes(6).toString('hex')}@example.com` }, ADMIN_AUTHORIZATION);
  expect(response.status).toBe(201);
  return (await response.json()) as { id: number; api_key: string };
}

describe('API keys across two API processes', () => {
  it('a key revoked through one process is refused by the other within a second', async () => {
    const user = await newUser();
    const bearer = { authorization: `Bearer ${user.api_key}` };
    const issued = (await (await post(one.url, `/users/${user.id}/api-keys`, undefined, bearer)).json()) as { id: string; api_key: string };
    const write = () => post(other.url, '/products', product(user.id), { authorization: `Bearer ${issued.api_key}` });
    expect((await write()).status).toBe(201);
    const revoked = await fetch(`${one.url}/users/${user.id}/api-keys/${issued.id}`, { method: 'DELETE', headers: bearer });
    expect(revoked.status).toBe(204);
    await eventually(async () => expect((await write()).status).toBe(401), { timeout: 1_000, interval: 20 });
  });

  it("share a key's write quota through Redis, and never log a key", async () => {
    const user = await newUser();
    const bearer = { authorization: `Bearer ${user.api_key}` };
    const statuses = [];
    for (const service of [one, other, one, other, one]) statuses.push((await post(service.url, '/products', product(user.id), bearer)).status);
    expect(statuses).toEqual([201, 201, 201, 201, 429]);
    // The secret is base64url and may itself hold `_`: parse the key rather than split it.
    const secret = parseApiKey(user.api_key)!.secret;
    expect(JSON.stringify([...one.logs, ...other.logs])).not.toContain(secret);
  });
});
