import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import type { Logger } from 'pino';
import { createHttpApp, createOpsApp } from '../adapters/http/index.js';
import { reportApiLoad, startOrphanSweeps, startWorker } from '../application/index.js';
import { buildDeps, type ServiceDeps } from './build-deps.js';
import type { Config } from './config.js';
import { eventLoopMeter } from './event-loop-meter.js';
import { lowerProcessPriority, yieldingCompressor } from './thread-priority.js';

export type Role = 'api' | 'worker';

/** Where `npm run build` puts the admin console: dist/admin, from src/main (tsx) and dist/main alike. */
const ADMIN_CONSOLE_DIR = fileURLToPath(new URL('../../dist/admin', import.meta.url));

/** A started process: its roles, and the HTTP listener when `api` is among them. */
export interface RunningService {
  /** Base URL of the HTTP listener, when the process serves the API. */
  readonly url: string | undefined;
  /** Base URL of /healthz, /readyz and /metrics (WORKER_PORT), when it does not. */
  readonly opsUrl: string | undefined;
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

/** The share of SHUTDOWN_TIMEOUT_MS in-flight requests get before their connections are cut. */
const REQUEST_GRACE_SHARE = 0.6;

async function startApi({ api: deps, metrics, tracer }: ServiceDeps, config: Config, logger: Logger) {
  const app = createHttpApp({
    deps,
    logger,
    metrics,
    tracer,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    uploadMaxBytes: config.IMAGE_MAX_BYTES,
    uploadConcurrency: config.UPLOAD_CONCURRENCY,
    listMaxBytes: config.LIST_MAX_BYTES,
    eventsTokenSecret: config.EVENTS_TOKEN_SECRET,
    adminDir: ADMIN_CONSOLE_DIR,
    serveFiles: !config.S3_BUCKET,
    ...(config.PUBLIC_BASE_URL && { publicBaseUrl: config.PUBLIC_BASE_URL }),
  });
  // Node waits 300 s for a request by default and never for headers less than 60 s: a slow
  // client would hold its socket (and its upload slot) that long. Every bound is a setting.
  const server = serve({
    fetch: app.fetch,
    port: config.PORT,
    hostname: config.HOST,
    serverOptions: {
      headersTimeout: config.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      // Node enforces both timeouts only when it checks, every 30 s by default.
      connectionsCheckingInterval: Math.min(30_000, Math.max(100, Math.floor(config.HTTP_HEADERS_TIMEOUT_MS / 2))),
    },
  });
  server.maxConnections = config.HTTP_MAX_CONNECTIONS;
  const address = await listen(server);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const grace = Math.round(config.SHUTDOWN_TIMEOUT_MS * REQUEST_GRACE_SHARE);
  return { url: `http://${host}:${address.port}`, stop: () => stopServer(server, grace) };
}

/** /healthz, /readyz and /metrics on WORKER_PORT, for a process without the API. */
async function startOps({ api, metrics }: ServiceDeps, config: Config) {
  const app = createOpsApp({ probes: api.probes, exposition: metrics });
  const server = serve({ fetch: app.fetch, port: config.WORKER_PORT, hostname: config.HOST });
  const address = await listen(server);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { url: `http://${host}:${address.port}`, stop: () => stopServer(server, 1000) };
}

const withYieldingCompressor = (deps: ServiceDeps, nice: number): ServiceDeps => ({
  ...deps,
  worker: { ...deps.worker, compressor: yieldingCompressor(deps.worker.compressor, nice) },
});

/**
 * Builds the container and starts the roles. With the in-process queue the worker always runs
 * here, since no other process can reach that queue.
 */
export async function startService(config: Config, logger: Logger, requested: readonly Role[]): Promise<RunningService> {
  // A worker-only process yields as a whole, before its pools (and libvips') start their threads.
  if (!requested.includes('api') && config.WORKER_NICE > 0) lowerProcessPriority(config.WORKER_NICE);
  const built = await buildDeps(config, logger, 'service');
  const { backends, close } = built;
  const roles: Role[] = [...requested];
  if (built.deps.embeddedQueue && !roles.includes('worker')) roles.push('worker');
  // Sharing the process with the API, only the compression's threads yield.
  const deps = roles.includes('api') && roles.includes('worker') && config.WORKER_NICE > 0 ? withYieldingCompressor(built.deps, config.WORKER_NICE) : built.deps;
  const stops: (() => Promise<void>)[] = [];
  try {
    // A worker-only process yields to the saturated APIs on its host; a process that serves the
    // API reports its saturation (and, with the worker in it, does not yield to itself).
    const load = deps.apiLoad;
    if (load && roles.includes('api')) {
      const reporting = reportApiLoad({ reports: load.reports, meter: eventLoopMeter(), logger }, { host: load.host });
      stops.push(async () => reporting.stop());
    }
    if (roles.includes('worker')) stops.push((await startWorker(deps.worker, { pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS })).stop);
    if (load?.gate && !roles.includes('api')) {
      const gate = load.gate;
      gate.start();
      // Stopped before the worker drains, so no job waits out a pause at shutdown.
      stops.push(async () => gate.stop());
    }
    if (roles.includes('worker') && config.GC_INTERVAL_MS > 0) {
      stops.push(startOrphanSweeps({ ...deps.objectSweep, logger }, { intervalMs: config.GC_INTERVAL_MS, graceMs: config.GC_GRACE_MS }).stop);
    }
    const api = roles.includes('api') ? await startApi(deps, config, logger) : undefined;
    if (api) stops.push(api.stop);
    // Without the API, probes and scrapes get a port of their own.
    const ops = api ? undefined : await startOps(deps, config);
    if (ops) stops.push(ops.stop);
    logger.info({ url: api?.url, ops_url: ops?.url, roles, backends }, 'service started');
    return {
      url: api?.url,
      opsUrl: ops?.url,
      roles,
      async close() {
        // The API first (no new work), then the worker, then the adapters.
        for (const stop of stops.reverse()) await stop();
        await close();
        logger.info('service stopped');
      },
    };
  } catch (error) {
    for (const stop of stops.reverse()) await stop();
    await close();
    throw error;
  }
}
