import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/postgres.js';
import { runToExit, spawnService, type SpawnedService } from '../support/spawn-service.js';
import { ADMIN_AUTHORIZATION } from '../support/admin-key.js';

/** A user, a product, a read and a list: the contract's happy path over real sockets. */
async function exercise(base: string) {
  const user = await fetch(`${base}/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...ADMIN_AUTHORIZATION },
    body: JSON.stringify({ name: 'Ada', email: `ada-${Date.now()}@example.com` }),
  });
  expect(user.status).toBe(201);
  const { id: user_id } = (await user.json()) as { id: number };

  const created = await fetch(`${base}/products`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': 'e2e-create-1', ...ADMIN_AUTHORIZATION },
    body: JSON.stringify({
      user_id,
      product_name: 'Desk lamp',
      product_description: 'Warm light',
      product_images: ['https://images.example.com/lamp.jpg'],
      product_price: 39.9,
    }),
  });
  expect(created.status).toBe(201);
  expect(created.headers.get('x-request-id')).toBe('e2e-create-1');
  const location = created.headers.get('location');
  expect(location).toMatch(/^\/products\/\d+$/);

  const read = await fetch(`${base}${location}`);
  expect(read.status).toBe(200);
  expect(await read.json()).toMatchObject({ user_id, product_name: 'Desk lamp', product_price: 39.9 });

  const list = await fetch(`${base}/products?user_id=${user_id}&price_min=39.9&price_max=39.9`);
  expect(((await list.json()) as unknown[]).length).toBe(1);
  expect((await fetch(`${base}/readyz`)).status).toBe(200);
}

describe('npm start on the embedded default (no environment)', () => {
  let dataDir: string;
  let service: SpawnedService;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'catalog-e2e-'));
    service = await spawnService('server.ts', { DATA_DIR: dataDir });
  });
  afterAll(async () => {
    await service.stop('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves the contract on PGlite and logs one JSON line per request', async () => {
    await exercise(service.url);
    const started = service.logs.find((line) => line.msg === 'service started');
    expect(started).toMatchObject({ level: 'info', roles: ['api', 'worker'] });
    expect(JSON.stringify(started)).toContain('pglite');
    const access = service.logs.filter((line) => line.request_id === 'e2e-create-1');
    expect(access.some((line) => line.status === 201 && line.method === 'POST')).toBe(true);
  });

  it('keeps data across a restart and exits 0 on SIGTERM', async () => {
    const before = await fetch(`${service.url}/products?user_id=1`);
    const count = ((await before.json()) as unknown[]).length;
    expect(count).toBeGreaterThan(0);
    expect(await service.stop('SIGTERM')).toBe(0);
    expect(service.logs.at(-1)).toMatchObject({ msg: 'service stopped' });

    service = await spawnService('api.ts', { DATA_DIR: dataDir });
    const after = await fetch(`${service.url}/products?user_id=1`);
    expect(((await after.json()) as unknown[]).length).toBe(count);
  });
});

describe('npm start with DATABASE_URL', () => {
  it('serves the contract on PostgreSQL and shuts down cleanly', async () => {
    const database = await createTestDatabase();
    try {
      const service = await spawnService('server.ts', { DATABASE_URL: database.url });
      try {
        await exercise(service.url);
      } finally {
        expect(await service.stop('SIGTERM')).toBe(0);
      }
    } finally {
      await database.drop();
    }
  });
});

describe('startup failures', () => {
  it('refuses bad configuration with one message listing every problem', async () => {
    const { code, stderr } = await runToExit('server.ts', { PORT: 'x', DATABASE_URL: 'mysql://db' });
    expect(code).toBe(1);
    expect(stderr).toContain('Invalid configuration:');
    expect(stderr).toContain('PORT="x"');
    expect(stderr).toContain('DATABASE_URL="mysql://db"');
  });

  it('stops with a readable message when the database cannot be reached', async () => {
    const { code, stdout } = await runToExit('server.ts', {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
      PORT: '0',
    });
    expect(code).toBe(1);
    const fatal = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>).find((l) => l.level === 'fatal');
    expect(String(fatal?.msg)).toMatch(/^startup failed: /);
  });

  it('applies migrations on demand with npm run db:migrate', async () => {
    const database = await createTestDatabase();
    try {
      const { code, stdout } = await runToExit('migrate.ts', { DATABASE_URL: database.url });
      expect(code).toBe(0);
      expect(stdout).toContain('migrations applied');
    } finally {
      await database.drop();
    }
  });
});
