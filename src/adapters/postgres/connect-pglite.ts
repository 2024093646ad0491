import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle } from 'drizzle-orm/pglite';
import { drizzleLogger, type PgliteConnection, type SqlLogger } from './connection.js';
import { describeError } from './describe-error.js';
import { Limiter } from './limiter.js';

/** Where the embedded database lives. */
export interface ConnectPgliteOptions {
  /** Directory holding the database files; undefined keeps the database in memory. */
  readonly dataDir?: string;
  readonly logger?: SqlLogger;
}

/**
 * Opens the embedded PGlite database with the pg_trgm extension the migrations create; throws a
 * readable error when it cannot be opened.
 */
export async function connectPglite(options: ConnectPgliteOptions = {}): Promise<PgliteConnection> {
  const where = options.dataDir ?? 'memory';
  let pglite: PGlite;
  try {
    // create() resolves once the database is open and ready for queries.
    pglite = await PGlite.create(options.dataDir, { extensions: { pg_trgm } });
  } catch (error) {
    throw new Error(`Cannot open PGlite database in ${where}: ${describeError(error)}`, { cause: error });
  }
  return {
    driver: 'pglite',
    client: pglite,
    db: drizzle(pglite, { logger: drizzleLogger(options.logger) }),
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
