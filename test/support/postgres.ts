import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll } from 'vitest';
import { connectPostgres, runMigrations, type Database, type PostgresConnection } from '../../src/adapters/postgres/index.js';
import { reachableService } from './local-service.js';

/** A database of its own for one test file; `drop()` removes it (call it in afterAll). */
export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const MIGRATIONS = fileURLToPath(new URL('../../migrations/', import.meta.url));
// Serializes template builds across the test files that vitest runs in parallel processes.
const TEMPLATE_LOCK_ID = 5_218_463_208;
// Test databases left behind by an interrupted run are dropped once they are this old.
const STALE_AFTER_MS = 6 * 60 * 60 * 1000;

let server: Promise<string> | undefined;

/**
 * Creates a migrated database for one test file by copying a template database, which is
 * migrated once per migrations version. The server comes from TEST_DATABASE_URL, else
 * DATABASE_URL, else the local default; when it is down, a postgres:15 container is started if
 * Docker is available, and otherwise this throws with instructions.
 */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  server ??= reachableService({
    name: 'PostgreSQL',
    url: process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? DEFAULT_URL,
    check: (url) => withAdmin(url, (admin) => admin`select 1`).then(() => undefined),
    container: {
      image: 'postgres:15',
      port: 5432,
      env: { POSTGRES_HOST_AUTH_METHOD: 'trust' },
      readyLog: 'database system is ready to accept connections',
      readyLogTimes: 2,
      url: (host, port) => `postgres://postgres@${host}:${port}/postgres`,
    },
    howToStart: [
      'Start the local server:  pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
      'or set TEST_DATABASE_URL to a PostgreSQL 15+ server where this user may create databases.',
    ],
  });
  const serverUrl = await server;
  const name = `catalog_test_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const template = options.migrated === false ? 'template0' : await migratedTemplate(serverUrl);
  await withAdmin(serverUrl, (admin) => admin.unsafe(`create database ${name} template ${template}`));
  return {
    url: databaseUrl(serverUrl, name),
    drop: () => withAdmin(serverUrl, (admin) => admin.unsafe(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}

/** Moves every idempotency record `ms` into the past, as if that much time had gone by. */
export async function backdateIdempotencyKeys(db: Database, ms: number): Promise<void> {
  await db.execute(sql`update idempotency_keys set created_at = created_at - ${ms} * interval '1 millisecond'`);
}

const databaseUrl = (serverUrl: string, name: string): string => {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
};

async function withAdmin<T>(serverUrl: string, work: (admin: postgres.Sql) => Promise<T>): Promise<T> {
  const admin = postgres(serverUrl, { max: 1, connect_timeout: 5, onnotice: () => undefined });
  try {
    return await work(admin);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

/** Name of the template holding the current migrations; builds it under a lock when missing. */
async function migratedTemplate(serverUrl: string): Promise<string> {
  const name = `catalog_template_${await migrationsHash()}`;
  await withAdmin(serverUrl, async (admin) => {
    await admin`select pg_advisory_lock(${TEMPLATE_LOCK_ID})`;
    try {
      const [existing] = await admin`select 1 from pg_database where datname = ${name}`;
      if (!existing) await buildTemplate(admin, serverUrl, name);
      await dropLeftovers(admin, name);
    } finally {
      await admin`select pg_advisory_unlock(${TEMPLATE_LOCK_ID})`;
    }
  });
  return name;
}

// Built under another name and renamed when complete, so a crash never leaves a half-migrated
// template that later runs would copy.
async function buildTemplate(admin: postgres.Sql, serverUrl: string, name: string): Promise<void> {
  const building = `${name}_building`;
  await admin.unsafe(`drop database if exists ${building} with (force)`);
  await admin.unsafe(`create database ${building} template template0`);
  const connection = await connectPostgres({ url: databaseUrl(serverUrl, building), max: 2 });
  try {
    await runMigrations(connection);
  } finally {
    await connection.close();
  }
  await admin.unsafe(`alter database ${building} rename to ${name}`);
}

/** Drops templates of older migrations and test databases an interrupted run left behind. */
async function dropLeftovers(admin: postgres.Sql, currentTemplate: string): Promise<void> {
  const rows = await admin<{ datname: string }[]>`
    select datname from pg_database where datname like 'catalog\_template\_%' or datname like 'catalog\_test\_%'`;
  for (const { datname } of rows) {
    const createdAt = Number(/^catalog_test_(\d+)_/.exec(datname)?.[1] ?? Number.NaN);
    const stale = datname.startsWith('catalog_template_') ? datname !== currentTemplate : Date.now() - createdAt > STALE_AFTER_MS;
    if (!stale) continue;
    // Another run may still be copying an old template; it is dropped by a later build then.
    await admin.unsafe(`drop database if exists ${datname}`).catch((error: { code?: string }) => {
      if (error.code !== '55006') throw error;
    });
  }
}

async function migrationsHash(): Promise<string> {
  const hash = createHash('sha256');
  const files = (await readdir(MIGRATIONS, { recursive: true })).filter((file) => /\.(sql|json)$/.test(file)).sort();
  for (const file of files) hash.update(file).update(await readFile(join(MIGRATIONS, file)));
  return hash.digest('hex').slice(0, 16);
}

/** A migrated database of the file's own and a pool on it, open from beforeAll to afterAll. */
export function usePostgres(options: { max?: number } = {}) {
  let database: TestDatabase | undefined;
  let connection: PostgresConnection | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    connection = await connectPostgres({ url: database.url, max: options.max ?? 4 });
  });
  afterAll(async () => {
    await connection?.close();
    await database?.drop();
  });
  return {
    get connection(): PostgresConnection {
      if (connection === undefined) throw new Error('the connection is open from beforeAll on');
      return connection;
    },
    get url(): string {
      if (database === undefined) throw new Error('the database exists from beforeAll on');
      return database.url;
    },
  };
}
