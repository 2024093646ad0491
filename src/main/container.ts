import { join } from 'node:path';
import type { Logger } from 'pino';
import { createProductReader, type Deps, type ImageCompressor, type ImageFetcher, type Outbox, type TaskQueue } from '../application/index.js';
import { AmqpTaskQueue } from '../adapters/amqp/index.js';
import { FsObjectStore } from '../adapters/fs/index.js';
import { DisabledCache, InProcessCache, InProcessTaskQueue } from '../adapters/memory/index.js';
import { RedisCache } from '../adapters/redis/index.js';
import { PostgresOutbox, PostgresProductRepo, PostgresUserRepo, runMigrations } from '../adapters/postgres/index.js';
import { S3ObjectStore } from '../adapters/s3/index.js';
import { SharpImageCompressor } from '../adapters/sharp/index.js';
import { UndiciImageFetcher } from '../adapters/undici/index.js';
import { redactUrlPasswords } from '../adapters/http/index.js';
import { closeAll, type Closer } from './close-all.js';
import type { Config } from './config.js';
import { openDatabase } from './open-database.js';

/** The wired dependencies and the one way to release them. */
export interface Container {
  /** What the HTTP API needs. */
  readonly deps: Deps;
  /** What the worker and the outbox relay need. */
  readonly pipeline: {
    readonly queue: TaskQueue;
    readonly outbox: Outbox;
    readonly fetcher: ImageFetcher;
    readonly compressor: ImageCompressor;
    /** True for the in-process queue: its jobs live and die with this process. */
    readonly embeddedQueue: boolean;
  };
  /** Which technology backs each port, for the startup log line. */
  readonly backends: Readonly<Record<string, string>>;
  /** Closes every adapter in the reverse order of opening. */
  close(): Promise<void>;
}

async function openObjectStore(config: Config) {
  if (config.S3_BUCKET) {
    const store = new S3ObjectStore({
      bucket: config.S3_BUCKET,
      region: config.S3_REGION,
      forcePathStyle: config.S3_FORCE_PATH_STYLE,
      ...(config.S3_ENDPOINT && { endpoint: config.S3_ENDPOINT }),
      ...(config.S3_PUBLIC_URL && { publicBaseUrl: config.S3_PUBLIC_URL }),
      ...(config.S3_ACCESS_KEY_ID &&
        config.S3_SECRET_ACCESS_KEY && {
          credentials: { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY },
        }),
    });
    try {
      await store.ensureBucket();
    } catch (error) {
      await store.close();
      throw error;
    }
    return { store: store as S3ObjectStore | FsObjectStore, backend: `s3 ${config.S3_BUCKET}${config.S3_ENDPOINT ? ` at ${config.S3_ENDPOINT}` : ''}` };
  }
  const root = join(config.DATA_DIR, 'objects');
  const publicBaseUrl = config.PUBLIC_BASE_URL ?? `http://localhost:${config.PORT}`;
  return { store: new FsObjectStore({ root, publicBaseUrl }), backend: `files ${root} served at ${publicBaseUrl}/files` };
}

async function openCache(config: Config, logger: Logger) {
  if (!config.CACHE_ENABLED) return { cache: new DisabledCache(), backend: 'off' };
  if (config.REDIS_URL) {
    // Unreachable at startup stops the process (a wrong URL must not silently disable caching);
    // an outage later fails open.
    const cache = await RedisCache.connect({ url: config.REDIS_URL, prefix: config.REDIS_PREFIX, logger });
    return { cache, backend: `redis ${redactUrlPasswords(config.REDIS_URL)}`, probe: { ...cache.probe, optional: true } };
  }
  // An in-process cache is invalidated only by writes in this process: sound with the embedded
  // database (one process by construction), stale with a shared one, where other API instances
  // and workers write too. There, no Redis means no cache.
  if (config.DATABASE_URL) return { cache: new DisabledCache(), backend: 'off (REDIS_URL unset with a shared database)' };
  return { cache: new InProcessCache(), backend: 'in-process' };
}

async function openQueue(config: Config, logger: Logger) {
  const common = { concurrency: config.WORKER_CONCURRENCY, retryDelaysMs: config.IMAGE_RETRY_DELAYS_MS, logger };
  if (config.AMQP_URL) {
    const queue = await AmqpTaskQueue.connect({ url: config.AMQP_URL, prefix: config.AMQP_PREFIX, ...common });
    return { queue, embedded: false, backend: `rabbitmq ${redactUrlPasswords(config.AMQP_URL)}` };
  }
  return { queue: new InProcessTaskQueue(common), embedded: true, backend: 'in-process' };
}

/**
 * The composition root: the only place that picks adapters. Each port uses its real
 * technology when its variable is set and the embedded default otherwise.
 */
export async function buildContainer(config: Config, logger: Logger): Promise<Container> {
  const closers: Closer[] = [];
  const opened = <T extends { close(): Promise<void> }>(name: string, adapter: T): T => {
    closers.push({ name, close: () => adapter.close() });
    return adapter;
  };
  try {
    const database = await openDatabase(config);
    const connection = opened('database', database.connection);
    await runMigrations(connection);
    const objects = await openObjectStore(config);
    const store = opened('objects', objects.store);
    const cache = await openCache(config, logger);
    opened('cache', cache.cache);
    const queue = await openQueue(config, logger);
    opened('queue', queue.queue);
    const fetcher = opened(
      'fetcher',
      new UndiciImageFetcher({
        maxBytes: config.IMAGE_MAX_BYTES,
        timeoutMs: config.IMAGE_FETCH_TIMEOUT_MS,
        allowPrivateNetworks: config.IMAGE_FETCH_ALLOW_PRIVATE_NETWORKS,
        allowSvg: config.IMAGE_ALLOW_SVG,
      }),
    );
    const compressor = opened(
      'compressor',
      new SharpImageCompressor({
        maxEdge: config.IMAGE_MAX_EDGE,
        format: config.IMAGE_FORMAT,
        maxPixels: config.IMAGE_MAX_PIXELS,
        allowSvg: config.IMAGE_ALLOW_SVG,
      }),
    );
    const probes = [
      connection.probe,
      store.probe,
      ...('probe' in queue.queue ? [queue.queue.probe] : []),
      ...(cache.probe ? [cache.probe] : []),
    ];
    const products = new PostgresProductRepo(connection);
    const productReader = createProductReader(
      { products, cache: cache.cache },
      { ttlMs: config.CACHE_TTL_MS, absentTtlMs: config.CACHE_ABSENT_TTL_MS },
    );
    return {
      deps: { products, users: new PostgresUserRepo(connection), objects: store, cache: cache.cache, productReader, probes },
      pipeline: { queue: queue.queue, outbox: new PostgresOutbox(connection), fetcher, compressor, embeddedQueue: queue.embedded },
      backends: { database: database.backend, objects: objects.backend, queue: queue.backend, cache: cache.backend },
      close: () => closeAll(closers, logger),
    };
  } catch (error) {
    await closeAll(closers, logger);
    throw error;
  }
}
