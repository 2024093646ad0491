import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectPglite,
  connectPostgres,
  PostgresUserRepo,
  runMigrations,
  type SqlLogger,
} from '../../../src/adapters/postgres/index.js';
import { aNewUser } from '../../support/mothers.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.js';

const recorder = () => {
  const lines: { details: object; message: string }[] = [];
  const logger: SqlLogger = { debug: (details, message) => lines.push({ details, message }) };
  return { logger, lines };
};

describe('connectPostgres', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('connects, answers its readiness probe and closes', async () => {
    const connection = await connectPostgres({ url: database.url });
    expect(connection.probe.name).toBe('postgres');
    await expect(connection.probe.check()).resolves.toBeUndefined();
    expect(connection.limiter.max).toBe(10);
    const [setting] = await connection.client`show plan_cache_mode`;
    expect(setting?.plan_cache_mode).toBe('force_custom_plan');
    await connection.close();
    await expect(connection.probe.check()).rejects.toThrow();
  });

  it('logs statements and server notices at debug level, without parameters', async () => {
    const { logger, lines } = recorder();
    const connection = await connectPostgres({ url: database.url, max: 3, logger });
    try {
      const user = aNewUser();
      await new PostgresUserRepo(connection).create(user);
      await connection.client`do $$ begin raise notice 'hello from the server'; end $$`;
      expect(lines).toContainEqual({ details: { query: expect.stringContaining('insert into "users"') }, message: 'sql' });
      expect(lines).toContainEqual({ details: { notice: 'hello from the server' }, message: 'postgres notice' });
      expect(JSON.stringify(lines)).not.toContain(user.email);
    } finally {
      await connection.close();
    }
  });

  it('fails readably, without the password, when the server is unreachable', async () => {
    const failure = connectPostgres({ url: 'postgres://app:s3cret@127.0.0.1:1/catalog' });
    await expect(failure).rejects.toThrow(/^Cannot connect to PostgreSQL at postgres:\/\/app:\[redacted\]@127\.0\.0\.1:1\/catalog: .*ECONNREFUSED/);
    await expect(failure).rejects.not.toThrow(/s3cret/);
  });

  it('fails readably on a URL it cannot parse', async () => {
    await expect(connectPostgres({ url: 'postgres://[broken' })).rejects.toThrow(/^Invalid PostgreSQL URL postgres:\/\/\[broken: /);
  });
});

describe('connectPglite', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'catalog-pglite-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('opens in memory and answers its readiness probe', async () => {
    const connection = await connectPglite();
    try {
      expect(connection.probe.name).toBe('pglite');
      await expect(connection.probe.check()).resolves.toBeUndefined();
      expect(connection.limiter.max).toBe(1);
    } finally {
      await connection.close();
    }
  });

  it('keeps its data in dataDir across reopening, and logs statements', async () => {
    const { logger, lines } = recorder();
    const dataDir = join(dir, 'data');
    const first = await connectPglite({ dataDir, logger });
    await runMigrations(first);
    const created = await new PostgresUserRepo(first).create(aNewUser());
    await first.close();
    if (!created.ok) throw new Error(created.error);
    expect(lines.some((line) => line.message === 'sql')).toBe(true);

    const second = await connectPglite({ dataDir });
    try {
      expect(await new PostgresUserRepo(second).findById(created.value.id)).toEqual(created.value);
    } finally {
      await second.close();
    }
  });

  it('fails readably when the data directory cannot be used', async () => {
    const file = join(dir, 'not-a-directory');
    await writeFile(file, 'x');
    await expect(connectPglite({ dataDir: file })).rejects.toThrow(`Cannot open PGlite database in ${file}: `);
  });
});
