import { readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPglite, connectPostgres, runMigrations, type Connection } from '../../../src/adapters/postgres/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.js';

const journal = JSON.parse(await readFile(new URL('../../../migrations/meta/_journal.json', import.meta.url), 'utf8')) as {
  entries: unknown[];
};

async function applied(connection: Connection) {
  const result: unknown = await connection.db.execute(sql`
    select (select count(*) from drizzle.__drizzle_migrations)::int as migrations,
           (select count(*) from information_schema.tables where table_schema = 'public')::int as tables,
           (select count(*) from pg_extension where extname = 'pg_trgm')::int as trgm`);
  // postgres.js returns the rows themselves, PGlite a result with `rows`.
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, number>[];
  return rows[0];
}

describe('runMigrations on PostgreSQL', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ migrated: false });
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('lets two processes migrate a fresh database at once and applies everything once', async () => {
    const [first, second] = await Promise.all([connectPostgres({ url: database.url }), connectPostgres({ url: database.url })]);
    try {
      await expect(Promise.all([runMigrations(first), runMigrations(second)])).resolves.toEqual([undefined, undefined]);
      expect(await applied(first)).toEqual({ migrations: journal.entries.length, tables: 9, trgm: 1 });
      await runMigrations(second);
      expect((await applied(second))?.migrations).toBe(journal.entries.length);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('releases the lock, so a later run does not wait', async () => {
    const connection = await connectPostgres({ url: database.url, max: 2 });
    try {
      await runMigrations(connection);
      const [lock] = await connection.client`select count(*)::int as held from pg_locks where locktype = 'advisory'`;
      expect(lock?.held).toBe(0);
    } finally {
      await connection.close();
    }
  });

  it('refuses a pool too small to hold the lock and migrate', async () => {
    const connection = await connectPostgres({ url: database.url, max: 1 });
    try {
      await expect(runMigrations(connection)).rejects.toThrow('at least 2 connections');
    } finally {
      await connection.close();
    }
  });
});

describe('runMigrations on PGlite', () => {
  it('builds the schema in memory and is a no-op the second time', async () => {
    const connection = await connectPglite();
    try {
      await runMigrations(connection);
      await runMigrations(connection);
      expect(await applied(connection)).toEqual({ migrations: journal.entries.length, tables: 9, trgm: 1 });
    } finally {
      await connection.close();
    }
  });
});
