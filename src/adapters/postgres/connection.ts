import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { Sql } from 'postgres';
import type { Probe } from '../../application/index.js';
import type { Limiter } from './limiter.js';
import type { PgliteClient } from './pglite-thread.js';

/** What the repositories need from either driver: drizzle's common PostgreSQL database type. */
export type Database = PgDatabase<PgQueryResultHKT>;

/** Logs SQL at debug level; a pino logger fits as is. */
export interface SqlLogger {
  debug(details: object, message: string): void;
}

interface BaseConnection {
  readonly db: Database;
  /** Readiness check: `select 1`. */
  readonly probe: Probe;
  /** Bounds the queries in flight to what the driver can run at once. */
  readonly limiter: Limiter;
  close(): Promise<void>;
}

/** A postgres.js pool wrapped by drizzle. */
export interface PostgresConnection extends BaseConnection {
  readonly driver: 'postgres';
  readonly db: PostgresJsDatabase;
  readonly client: Sql;
}

/** An embedded PGlite database wrapped by drizzle. */
export interface PgliteConnection extends BaseConnection {
  readonly driver: 'pglite';
  readonly db: PgliteDatabase;
  readonly client: PgliteClient;
}

/** Either connection; the repositories and migrations accept both. */
export type Connection = PostgresConnection | PgliteConnection;

/** Drizzle's query logger that forwards statements (never their parameters, which hold user data). */
export const drizzleLogger = (logger: SqlLogger | undefined) =>
  logger ? { logQuery: (query: string) => logger.debug({ query }, 'sql') } : false;
