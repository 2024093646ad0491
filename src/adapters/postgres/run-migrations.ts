import { fileURLToPath } from 'node:url';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { Connection, PostgresConnection } from './connection.js';

// Top-level `migrations`, three levels up from both src/adapters/postgres and dist/adapters/postgres.
const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../../migrations', import.meta.url));

// Arbitrary but fixed: every process of this service that migrates takes the same lock.
const MIGRATION_LOCK_ID = 5_218_463_207;

/**
 * Applies the pending migrations from the top-level `migrations` folder. On PostgreSQL it holds a
 * session advisory lock meanwhile, because drizzle's migrate() takes none (drizzle-orm#874) and two
 * processes starting together would otherwise both apply the same migration.
 */
export async function runMigrations(connection: Connection): Promise<void> {
  if (connection.driver === 'pglite') {
    await migratePglite(connection.db, { migrationsFolder: MIGRATIONS_FOLDER });
    return;
  }
  await withMigrationLock(connection, () => migratePostgres(connection.db, { migrationsFolder: MIGRATIONS_FOLDER }));
}

async function withMigrationLock(connection: PostgresConnection, work: () => Promise<void>): Promise<void> {
  if (connection.client.options.max < 2) {
    // The lock pins one connection for the whole run; migrate() needs another one from the pool.
    throw new Error('runMigrations needs a PostgreSQL pool of at least 2 connections');
  }
  const lock = await connection.client.reserve();
  try {
    await lock`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    try {
      await work();
    } finally {
      await lock`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
    }
  } finally {
    lock.release();
  }
}
