import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Logger } from 'pino';
import { createHttpApp } from '../adapters/http/index.js';
import type { Config } from './config.js';
import { buildContainer } from './container.js';

export type Role = 'api' | 'worker';

/** A started process role set, listening when `api` is among its roles. */
export interface RunningService {
  /** Base URL of the HTTP listener. */
  readonly url: string;
  /** Stops accepting, lets in-flight requests finish, then closes adapters. */
  close(): Promise<void>;
}

function listen(server: ServerType): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.once('listening', () => resolve(server.address() as AddressInfo));
  });
}

function stopServer(server: ServerType, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    // close() stops accepting and resolves once in-flight requests end; after the grace
    // period the remaining connections are cut so shutdown always finishes.
    const timer = setTimeout(() => {
      if ('closeAllConnections' in server) server.closeAllConnections();
    }, timeoutMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    if ('closeIdleConnections' in server) server.closeIdleConnections();
  });
}

/** Builds the container, serves HTTP on HOST:PORT and returns a handle to stop it all. */
export async function startService(config: Config, logger: Logger, roles: readonly Role[]): Promise<RunningService> {
  const container = await buildContainer(config, logger);
  try {
    const app = createHttpApp({
      deps: container.deps,
      logger,
      bodyLimitBytes: config.BODY_LIMIT_BYTES,
      ...(config.PUBLIC_BASE_URL && { publicBaseUrl: config.PUBLIC_BASE_URL }),
    });
    const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST });
    const address = await listen(server);
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `http://${host}:${address.port}`;
    logger.info({ url, roles, backends: container.backends }, 'service started');
    return {
      url,
      async close() {
        await stopServer(server, config.SHUTDOWN_TIMEOUT_MS);
        await container.close();
        logger.info('service stopped');
      },
    };
  } catch (error) {
    await container.close();
    throw error;
  }
}
