import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Logger } from 'pino';
import { createHttpApp } from '../adapters/http/index.js';
import { handleTask, startOutboxRelay, type Consumer, type OutboxRelay } from '../application/index.js';
import type { Config } from './config.js';
import { buildContainer, type Container } from './container.js';

export type Role = 'api' | 'worker';

/** A started process: its roles, and the HTTP listener when `api` is among them. */
export interface RunningService {
  /** Base URL of the HTTP listener, when the process serves the API. */
  readonly url: string | undefined;
  readonly roles: readonly Role[];
  /** Stops accepting, lets in-flight requests and jobs finish, then closes adapters. */
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

/** The image worker and the outbox relay that feeds it. */
async function startWorker(container: Container, config: Config, logger: Logger) {
  const { queue, outbox, fetcher, compressor, embeddedQueue } = container.pipeline;
  if (embeddedQueue) {
    // The in-process queue died with the last process: queue unfinished images again.
    const requeued = await container.deps.products.requeueUnfinishedImages();
    if (requeued > 0) logger.info({ requeued }, 'unfinished images queued again');
  }
  const consumer: Consumer = await queue.consume(
    handleTask({ products: container.deps.products, objects: container.deps.objects, cache: container.deps.cache, fetcher, compressor, logger }),
  );
  const relay: OutboxRelay = await startOutboxRelay({ outbox, queue, logger }, { pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS });
  return {
    async stop() {
      await relay.stop();
      await consumer.stop();
    },
  };
}

async function startApi(container: Container, config: Config, logger: Logger) {
  const app = createHttpApp({
    deps: container.deps,
    logger,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    uploadMaxBytes: config.IMAGE_MAX_BYTES,
    serveFiles: !config.S3_BUCKET,
    ...(config.PUBLIC_BASE_URL && { publicBaseUrl: config.PUBLIC_BASE_URL }),
  });
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST });
  const address = await listen(server);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { url: `http://${host}:${address.port}`, stop: () => stopServer(server, config.SHUTDOWN_TIMEOUT_MS) };
}

/**
 * Builds the container and starts the roles. With the in-process queue the worker always runs
 * here, since no other process can reach that queue.
 */
export async function startService(config: Config, logger: Logger, requested: readonly Role[]): Promise<RunningService> {
  const container = await buildContainer(config, logger);
  const roles: Role[] = [...requested];
  if (container.pipeline.embeddedQueue && !roles.includes('worker')) roles.push('worker');
  const stops: (() => Promise<void>)[] = [];
  try {
    if (roles.includes('worker')) stops.push((await startWorker(container, config, logger)).stop);
    const api = roles.includes('api') ? await startApi(container, config, logger) : undefined;
    if (api) stops.push(api.stop);
    logger.info({ url: api?.url, roles, backends: container.backends }, 'service started');
    return {
      url: api?.url,
      roles,
      async close() {
        // The API first (no new work), then the worker, then the adapters.
        for (const stop of stops.reverse()) await stop();
        await container.close();
        logger.info('service stopped');
      },
    };
  } catch (error) {
    for (const stop of stops.reverse()) await stop();
    await container.close();
    throw error;
  }
}
