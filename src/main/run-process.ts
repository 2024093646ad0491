import { ConfigError, readConfig } from './config.js';
import { createLogger } from './logger.js';
import { startService, type Role } from './start-service.js';

/**
 * Process entry: reads the environment once, starts the roles, and exits 0 after a clean
 * SIGTERM/SIGINT shutdown or 1 with a readable message when startup fails.
 */
export async function runProcess(roles: readonly Role[]): Promise<void> {
  let config;
  try {
    config = readConfig();
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exit(1);
  }
  const logger = createLogger(config.LOG_LEVEL);
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled promise rejection');
    process.exit(1);
  });

  let service;
  try {
    service = await startService(config, logger, roles);
  } catch (error) {
    logger.fatal({ err: error }, `startup failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Whatever is in flight, the process is gone by the deadline: a stuck request, job or
    // adapter must not keep it alive (the orchestrator would otherwise SIGKILL it much later).
    setTimeout(() => {
      logger.error({ timeout_ms: config.SHUTDOWN_TIMEOUT_MS }, 'shutdown did not finish in time: exiting now');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS).unref();
    service.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
