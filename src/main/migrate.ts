// `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded PGlite).
import { runMigrations } from '../adapters/postgres/index.js';
import { ConfigError, readConfig } from './config.js';
import { createLogger } from './logger.js';
import { openDatabase } from './open-database.js';

try {
  const config = readConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const { adapter: connection, backend } = await openDatabase(config);
  try {
    await runMigrations(connection);
    logger.info({ backend }, 'migrations applied');
  } finally {
    await connection.close();
  }
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : `migration failed: ${String(error)}`}\n`);
  process.exitCode = 1;
}
