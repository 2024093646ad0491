// `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded PGlite).
import { runMigrations } from '../adapters/postgres/index.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { openDatabase } from './open-database.js';

try {
  const config = loadConfig(process.env);
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
