import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Built, ServiceDeps } from '../../../src/main/build-deps.js';
import { TEST_ADMIN_KEY } from '../../support/admin-key.js';
import { eventually } from '../../support/eventually.js';
import { aNewProduct, aNewUser } from '../../support/mothers.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.js';
import { serviceDeps } from '../../support/service-deps.js';
import { appWith, jsonInit } from '../../http/support/http-harness.js';
import { parseApiKey } from '../../../src/domain/index.js';

let database: TestDatabase;
let built: Built<ServiceDeps>[];
let one: ReturnType<typeof appWith>;
let other: ReturnType<typeof appWith>;

// Two API instances on one PostgreSQL database, each with its own pool and key lookup cache.
beforeAll(async () => {
  database = await createTestDatabase();
  built = [];
  for (const _ of [1, 2]) built.push(await serviceDeps({ DATABASE_URL: database.url, DATABASE_POOL_MAX: '2', LOG_LEVEL: 'debug' }));
  [one, other] = built.map((service) => appWith(service.deps.api)) as [ReturnType<typeof appWith>, ReturnType<typeof appWith>];
});
afterAll(async () => {
  for (const service of built ?? []) await service.close();
  await database?.drop();
});

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

async function registered() {
  const response = await one.app.request('/users', jsonInit('POST', aNewUser()));
  expect(response.status).toBe(201);
  return (await response.json()) as { id: number; api_key: string };
}

describe('API keys on two instances sharing a database', () => {
  it('a key issued on one works on the other at once; revoked on one, the other refuses it within a second', async () => {
    const user = await registered();
    const issued = (await (await one.app.request(`/users/${user.id}/api-keys`, { method: 'POST', headers: bearer(user.api_key) })).json()) as {
      id: string;
      api_key: string;
    };
    const create = () => other.app.request('/products', jsonInit('POST', aNewProduct(user.id), bearer(issued.api_key)));
    expect((await create()).status).toBe(201);

    const revoked = await one.app.request(`/users/${user.id}/api-keys/${issued.id}`, { method: 'DELETE', headers: bearer(user.api_key) });
    expect(revoked.status).toBe(204);
    // The contract's bound: refused everywhere within 1 s (the lookup cache keeps a key 500 ms).
    await eventually(async () => expect((await create()).status).toBe(401), { timeout: 1_000, interval: 20 });
    expect((await other.app.request('/products', jsonInit('POST', aNewProduct(user.id), bearer(user.api_key)))).status).toBe(201);
  });

  it('never stores a key or writes it to a log: the database dump and every log line lack it', async () => {
    const user = await registered();
    const extra = (await (await one.app.request(`/users/${user.id}/api-keys`, { method: 'POST' })).json()) as { api_key: string };
    const keys = [user.api_key, extra.api_key];
    // The key in use: a write, a read, a refused write, a malformed header and a failure.
    const product = (await (await other.app.request('/products', jsonInit('POST', aNewProduct(user.id), bearer(extra.api_key)))).json()) as { id: number };
    await other.app.request(`/products/${product.id}`, { headers: bearer(extra.api_key) });
    await other.app.request('/products', jsonInit('POST', aNewProduct(user.id + 1), bearer(extra.api_key)));
    await other.app.request('/products', jsonInit('POST', aNewProduct(user.id), { authorization: `Bearer ${extra.api_key} trailing` }));
    await other.app.request(`/users/${user.id}/api-keys`, { headers: bearer(`${extra.api_key}x`) });
    await one.app.request(`/users/${user.id}/api-keys`, { headers: bearer(user.api_key) });

    const { stdout: dump } = await promisify(execFile)('pg_dump', ['--data-only', database.url], { maxBuffer: 64 * 1024 * 1024 });
    expect(dump).toContain(`${user.id}`);
    const logs = JSON.stringify([...one.logs, ...other.logs]);
    expect(one.logs.length + other.logs.length).toBeGreaterThan(8);
    for (const key of [...keys, TEST_ADMIN_KEY]) {
      // pc_live_<id>_<secret>; the secret is base64url and may itself hold `_`.
      const secret = parseApiKey(key)?.secret ?? key;
      expect(dump.includes(secret), 'the dump holds a secret').toBe(false);
      expect(logs.includes(secret), 'a log line holds a secret').toBe(false);
    }
  });
});
