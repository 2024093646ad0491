import type { Logger } from 'pino';
import type { Deps } from '../application/index.js';
import { PostgresProductRepo, PostgresUserRepo, runMigrations } from '../adapters/postgres/index.js';
import { closeAll, type Closer } from './close-all.js';
import type { Config } from './config.js';
import { openDatabase } from './open-database.js';

/** The wired dependencies and the one way to release them. */
export interface Container {
  readonly deps: Deps;
  /** Which technology backs each port, for the startup log line. */
  readonly backends: Readonly<Record<string, string>>;
  /** Closes every adapter in the reverse order of opening. */
  close(): Promise<void>;
}

/**
 * The composition root: the only place that picks adapters. Each port uses its real
 * technology when its variable is set and the embedded default otherwise.
 */
export async function buildContainer(config: Config, logger: Logger): Promise<Container> {
  const closers: Closer[] = [];
  try {
    const { connection, backend } = await openDatabase(config);
    closers.push({ name: 'database', close: () => connection.close() });
    await runMigrations(connection);

    const deps: Deps = {
      products: new PostgresProductRepo(connection),
      users: new PostgresUserRepo(connection),
      probes: [connection.probe],
    };
    return { deps, backends: { database: backend }, close: () => closeAll(closers, logger) };
  } catch (error) {
    await closeAll(closers, logger);
    throw error;
  }
}
