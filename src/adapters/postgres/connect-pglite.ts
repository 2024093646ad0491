import type { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { drizzleLogger, type PgliteConnection, type SqlLogger } from './connection.js';
import { describeError } from './describe-error.js';
import { Limiter } from './limiter.js';
import { openPgliteThread, type PgliteClient } from './pglite-thread.js';

/** Where the embedded database lives. */
export interface ConnectPgliteOptions {
  /** Directory holding the database files; undefined keeps the database in memory. */
  readonly dataDir?: string;
  readonly logger?: SqlLogger;
}

/**
 * Opens the embedded PGlite database with the pg_trgm extension the migrations create, on a thread
 * of its own so its queries never hold the event loop; throws a readable error when it cannot be
 * opened.
 */
export async function connectPglite(options: ConnectPgliteOptions = {}): Promise<PgliteConnection> {
  const where = options.dataDir ?? 'memory';
  let pglite: PgliteClient;
  try {
    pglite = await openPgliteThread(options.dataDir);
  } catch (error) {
    throw new Error(`Cannot open PGlite database in ${where}: ${describeError(error)}`, { cause: error });
  }
  return {
    driver: 'pglite',
    client: pglite,
    // Drizzle calls query() and transaction() only, which the thread's client answers alike.
    db: drizzle({ client: pglite as unknown as PGlite, logger: drizzleLogger(options.logger) }),
    // One embedded backend runs one query at a time; queueing here keeps callers fair.
    limiter: new Limiter(1),
    probe: {
      name: 'pglite',
      check: async () => {
        await pglite.query('select 1');
      },
    },
    close: () => pglite.close(),
  };
}
