import { hostname } from 'node:os';
import { join } from 'node:path';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Logger } from 'pino';
import { AmqpTaskQueue } from '../adapters/amqp/index.js';
import { FsObjectStore } from '../adapters/fs/index.js';
import { DisabledCache, InProcessCache, InProcessEventStream, InProcessRateLimiter, InProcessTaskQueue } from '../adapters/in-process/index.js';
import { NodeKeyCrypto } from '../adapters/node-crypto/index.js';
import {
  PostgresApiKeys,
  PostgresImageBackfill,
  PostgresImageJobs,
  PostgresObjectReferences,
  PostgresOutbox,
  PostgresProductRepo,
  PostgresUserRepo,
  PostgresWebhooks,
  runMigrations,
} from '../adapters/postgres/index.js';
import { OtelTracer, otlpTraceExporter } from '../adapters/opentelemetry/index.js';
import { PrometheusMetrics } from '../adapters/prometheus/index.js';
import { RedisApiLoad, RedisCache, RedisEventStream, RedisRateLimiter } from '../adapters/redis/index.js';
import { S3ObjectStore } from '../adapters/s3/index.js';
import { SharpImageCompressor } from '../adapters/sharp/index.js';
import { UndiciImageFetcher, UndiciWebhookSender } from '../adapters/undici/index.js';
import {
  createAuthenticator,
  createListReader,
  createEventFeed,
  createProductReader,
  createRateLimits,
  ensureAdminKey,
  productCacheKeyPrefix,
  productReaderMetrics,
  redactUrlPasswords,
  retryPolicy,
  yieldToApi,
  type ApiDeps,
  type ApiLoadReports,
  type Cache,
  type DeadLetters,
  type ImageBackfill,
  type ProductWriteCache,
  type EventStream,
  type MetricsSource,
  type ObjectListing,
  type ObjectReferences,
  type ObjectStore,
  type RateLimiter,
  type ScopedCache,
  type Probe,
  type TaskConsumer,
  type TaskPublisher,
  type Tracer,
  type WorkerDeps,
  type YieldGate,
} from '../application/index.js';
import type { RenditionSet } from '../domain/index.js';
import { closeAll, type Closer } from './close-all.js';
import type { Config } from './config.js';
import { openDatabase } from './open-database.js';
import { s3StoreOptions } from './s3-store-options.js';

/** What a process serving the API and the image worker needs. */
export interface ServiceDeps {
  readonly api: ApiDeps;
  readonly worker: WorkerDeps;
  /** This process's registry: request durations, image stages and outcomes, process metrics. */
  readonly metrics: PrometheusMetrics;
  /** True for the in-process queue: its jobs live and die with this process, so the worker runs here. */
  readonly embeddedQueue: boolean;
  /** Spans for requests and image jobs; undefined when nothing is traced. */
  readonly tracer: Tracer | undefined;
  /** What the worker's periodic orphan sweep needs (GC_INTERVAL_MS). */
  readonly objectSweep: ObjectSweepDeps;
  /**
   * With REDIS_URL: where a process serving the API reports its saturation, and the gate a
   * worker-only process starts to yield to it (absent with WORKER_YIELD_DUTY=1).
   */
  readonly apiLoad?: { readonly reports: ApiLoadReports; readonly host: string; readonly gate: YieldGate | undefined } | undefined;
}

/** What a caller may put in place of the configured technology (tests). */
export interface BuildOverrides {
  /** Spans go here, exported as each ends, whatever OTEL_EXPORTER_OTLP_ENDPOINT says. */
  readonly spanExporter?: SpanExporter;
}

/** Wired dependencies, which technology backs each port (for the startup log), and the one way to release them. */
export interface Built<T> {
  readonly deps: T;
  readonly backends: Readonly<Record<string, string>>;
  /** Closes every adapter in the reverse order of opening. */
  close(): Promise<void>;
}

type Closeable = { close(): Promise<void> };
/** An adapter as opened for one port: the technology it is, and its readiness probe if it has one. */
interface Opened<T extends Closeable> {
  readonly adapter: T;
  /** Shown in the startup log; absent for adapters with no choice of technology. */
  readonly backend?: string;
  readonly probe?: Probe | undefined;
  /** Figures for /metrics, where the adapter keeps any. */
  readonly metrics?: MetricsSource | undefined;
}
type Queue = TaskPublisher & TaskConsumer & DeadLetters & Closeable;

async function openObjectStore(config: Config): Promise<Opened<ObjectStore & ObjectListing & Closeable>> {
  if (!config.S3_BUCKET) {
    const root = join(config.DATA_DIR, 'objects');
    const publicBaseUrl = config.PUBLIC_BASE_URL ?? `http://localhost:${config.PORT}`;
    const store = new FsObjectStore({ root, publicBaseUrl });
    return { adapter: store, backend: `files ${root} served at ${publicBaseUrl}/files`, probe: store.probe };
  }
  const store = new S3ObjectStore(s3StoreOptions({ ...config, S3_BUCKET: config.S3_BUCKET }));
  try {
    await store.ensureBucket();
  } catch (error) {
    await store.close();
    throw error;
  }
  return { adapter: store, backend: `s3 ${config.S3_BUCKET}${config.S3_ENDPOINT ? ` at ${config.S3_ENDPOINT}` : ''}`, probe: store.probe };
}

async function openCache(config: Config, logger: Logger): Promise<Opened<Cache & ScopedCache & Closeable>> {
  if (!config.CACHE_ENABLED) return { adapter: new DisabledCache(), backend: 'off' };
  if (config.REDIS_URL) {
    // Unreachable at startup stops the process (a wrong URL must not silently disable caching);
    // an outage later fails open.
    const cache = await RedisCache.connect({
      url: config.REDIS_URL,
      prefix: config.REDIS_PREFIX,
      commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS,
      // Products only: list pages change with every write of their user and are not copied.
      ...(config.CACHE_LOCAL_MAX_BYTES > 0 && { local: { maxBytes: config.CACHE_LOCAL_MAX_BYTES, keyPrefix: productCacheKeyPrefix } }),
      logger,
    });
    return { adapter: cache, backend: `redis ${redactUrlPasswords(config.REDIS_URL)}`, probe: { ...cache.probe, optional: true }, metrics: cache };
  }
  // An in-process cache is invalidated only by writes in this process: sound with the embedded
  // database (one process by construction), stale with a shared one, where other API instances
  // and workers write too. There, no Redis means no cache.
  if (config.DATABASE_URL) return { adapter: new DisabledCache(), backend: 'off (REDIS_URL unset with a shared database)' };
  const cache = new InProcessCache();
  return { adapter: cache, backend: 'in-process', metrics: cache };
}

/** Redis when REDIS_URL is set, so every instance shares the counters; else this process's own. */
async function openRateLimiter(config: Config): Promise<Opened<RateLimiter & Closeable> | undefined> {
  if (!config.RATE_LIMIT_ENABLED) return undefined;
  if (!config.REDIS_URL) return { adapter: new InProcessRateLimiter(), backend: 'in-process' };
  const limiter = await RedisRateLimiter.connect({ url: config.REDIS_URL, prefix: config.REDIS_PREFIX, commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS });
  return { adapter: limiter, backend: `redis ${redactUrlPasswords(config.REDIS_URL)}` };
}

async function openQueue(config: Config, logger: Logger): Promise<Opened<Queue> & { embedded: boolean }> {
  if (config.AMQP_URL) {
    const queue = await AmqpTaskQueue.connect({
      url: config.AMQP_URL,
      prefix: config.AMQP_PREFIX,
      concurrency: workerPrefetch(config),
      retryDelaysMs: config.IMAGE_RETRY_DELAYS_MS,
      logger,
    });
    return { adapter: queue, embedded: false, backend: `rabbitmq ${redactUrlPasswords(config.AMQP_URL)}`, probe: queue.probe, metrics: queue };
  }
  const queue = new InProcessTaskQueue({ concurrency: workerPrefetch(config), logger });
  return { adapter: queue, embedded: true, backend: 'in-process', metrics: queue };
}

/** Deliveries a worker takes at once: more than its CPU slots, so the next downloads overlap compression. */
export const workerPrefetch = (config: Config): number => Math.max(config.WORKER_CONCURRENCY, config.WORKER_PREFETCH || 4 * config.WORKER_CONCURRENCY);

/**
 * Where APIs report saturation to the workers on their host: on the shared Redis, the only store
 * both reach quickly. Not REDIS_COMMAND_TIMEOUT_MS: no request waits on a mark or a probe, and a
 * saturated host delays answers most exactly when the probe matters (its own default, 1 s).
 */
async function openApiLoad(url: string, prefix: string, host: string): Promise<Opened<RedisApiLoad>> {
  const load = await RedisApiLoad.connect({ url, prefix });
  return { adapter: load, backend: `redis ${redactUrlPasswords(url)} (HOST_ID ${host})` };
}

/** Redis pub/sub when REDIS_URL is set, so every API instance hears every worker; else this process's own. */
async function openEventStream(config: Config): Promise<Opened<EventStream & Closeable>> {
  if (!config.REDIS_URL) return { adapter: new InProcessEventStream(), backend: 'in-process' };
  const stream = await RedisEventStream.connect({ url: config.REDIS_URL, prefix: config.REDIS_PREFIX });
  return { adapter: stream, backend: `redis ${redactUrlPasswords(config.REDIS_URL)}` };
}

/** The configured compressor. */
const compressorOf = (config: Config) =>
  new SharpImageCompressor({
    allowSvg: config.IMAGE_ALLOW_SVG,
    maxEdge: config.IMAGE_MAX_EDGE,
    format: config.IMAGE_FORMAT,
    maxPixels: config.IMAGE_MAX_PIXELS,
    renditionWidths: config.IMAGE_RENDITION_WIDTHS,
    renditionFormats: config.IMAGE_RENDITION_FORMATS,
    targetSsim: config.IMAGE_TARGET_SSIM,
  });

/** The worker's image tools: the guarded downloader and the compressor, with the same SVG rule. */
function imageTools(config: Config) {
  const fetch = { maxBytes: config.IMAGE_MAX_BYTES, timeoutMs: config.IMAGE_FETCH_TIMEOUT_MS };
  return {
    fetcher: new UndiciImageFetcher({ allowSvg: config.IMAGE_ALLOW_SVG, ...fetch, allowPrivateNetworks: config.IMAGE_FETCH_ALLOW_PRIVATE_NETWORKS }),
    compressor: compressorOf(config),
  };
}

/** The renditions the configured compressor makes, as its settings resolve them (widths bounded by IMAGE_MAX_EDGE). */
export function configuredRenditions(config: Config): RenditionSet {
  const { renditionWidths, format, extraEncodings } = compressorOf(config).settings;
  return { widths: renditionWidths, formats: [format, ...extraEncodings.map((encoding) => encoding.format)] };
}

/** OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (or the override's exporter); else no tracer at all. */
function openTracer(config: Config, overrides: BuildOverrides): Opened<OtelTracer> | undefined {
  const options = { serviceName: config.OTEL_SERVICE_NAME };
  if (overrides.spanExporter) return { adapter: new OtelTracer({ ...options, exporter: overrides.spanExporter, processor: 'simple' }), backend: 'given exporter' };
  if (!config.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  const exporter = otlpTraceExporter(config.OTEL_EXPORTER_OTLP_ENDPOINT);
  return { adapter: new OtelTracer({ ...options, exporter }), backend: `otlp ${redactUrlPasswords(config.OTEL_EXPORTER_OTLP_ENDPOINT)}` };
}

/** Opens adapters in order and closes the opened ones, last first, on failure or at the end. */
function opener(logger: Logger) {
  const closers: Closer[] = [];
  const backends: Record<string, string> = {};
  return {
    backends,
    close: () => closeAll(closers, logger),
    async open<T extends Closeable, O extends Opened<T>>(name: string, opening: Promise<O>): Promise<O> {
      const opened = await opening;
      closers.push({ name, close: () => opened.adapter.close() });
      if (opened.backend !== undefined) backends[name] = opened.backend;
      return opened;
    },
  };
}

/** Shows the first start's admin key, once: only its digest is stored, so it cannot be shown again. */
function announceAdminKey(key: string | null, logger: Logger): void {
  if (key === null) return;
  logger.warn(
    { admin_api_key: key },
    '*** ADMIN API KEY, shown this once: store it now and send it as "Authorization: Bearer <key>". Set ADMIN_API_KEY to use a key of your own. ***',
  );
}

async function buildService(config: Config, logger: Logger, overrides: BuildOverrides): Promise<Built<ServiceDeps>> {
  const { open, backends, close } = opener(logger);
  try {
    // Opened first, so it closes last and exports the spans of everything closed before it.
    const tracing = openTracer(config, overrides);
    if (tracing) await open('tracing', Promise.resolve(tracing));
    const tracer = tracing?.adapter;
    const database = await open('database', openDatabase(config));
    await runMigrations(database.adapter);
    const objects = await open('objects', openObjectStore(config));
    const cache = await open('cache', openCache(config, logger));
    const queue = await open('queue', openQueue(config, logger));
    const limiter = await openRateLimiter(config);
    if (limiter) await open('rate limiter', Promise.resolve(limiter));
    const rateLimits =
      limiter &&
      createRateLimits(
        { limiter: limiter.adapter, logger },
        {
          writes: { limit: config.RATE_LIMIT_WRITES, windowMs: config.RATE_LIMIT_WINDOW_MS },
          reads: { limit: config.RATE_LIMIT_READS, windowMs: config.RATE_LIMIT_WINDOW_MS },
        },
      );
    const { fetcher, compressor } = imageTools(config);
    await open('fetcher', Promise.resolve({ adapter: fetcher }));
    await open('compressor', Promise.resolve({ adapter: compressor }));
    const events = await open('events', openEventStream(config));
    const eventFeed = await createEventFeed({ stream: events.adapter });
    await open('event feed', Promise.resolve({ adapter: eventFeed }));
    const host = config.HOST_ID ?? hostname();
    const apiLoad = config.REDIS_URL ? await open('api load', openApiLoad(config.REDIS_URL, config.REDIS_PREFIX, host)) : undefined;
    // Built here for /metrics; only a worker-only process starts it (start-service).
    const gate = apiLoad && config.WORKER_YIELD_DUTY < 1 ? yieldToApi({ probe: apiLoad.adapter, logger }, { host, duty: config.WORKER_YIELD_DUTY }) : undefined;
    const sender = new UndiciWebhookSender({ allowPrivateNetworks: config.WEBHOOK_ALLOW_PRIVATE_NETWORKS, timeoutMs: config.WEBHOOK_TIMEOUT_MS });
    await open('webhook sender', Promise.resolve({ adapter: sender }));
    const connection = database.adapter;
    const products = new PostgresProductRepo(connection);
    const references = new PostgresObjectReferences(connection);
    const jobs = new PostgresImageJobs(connection);
    const apiKeys = new PostgresApiKeys(connection);
    const webhooks = new PostgresWebhooks(connection);
    const crypto = new NodeKeyCrypto();
    // The embedded default must work from `npm start` alone: its first start makes the admin key.
    if (!config.DATABASE_URL && !config.ADMIN_API_KEY) announceAdminKey(await ensureAdminKey({ apiKeys, crypto }), logger);
    const probes = [database.probe, objects.probe, queue.probe, cache.probe].filter((probe) => probe !== undefined);
    const outbox = new PostgresOutbox(connection);
    const productReader = createProductReader(
      { products, cache: cache.adapter },
      { ttlMs: config.CACHE_TTL_MS, absentTtlMs: config.CACHE_ABSENT_TTL_MS },
    );
    // Every process reports the shared outbox and queue too, so any one scrape shows the backlog.
    const metrics = new PrometheusMetrics({
      sources: [productReaderMetrics(productReader), cache.metrics, rateLimits, outbox, queue.metrics, gate].filter((source) => source !== undefined),
      sourceTimeoutMs: config.METRICS_SOURCE_TIMEOUT_MS,
    });
    const api: ApiDeps = {
      products,
      users: new PostgresUserRepo(connection),
      apiKeys,
      crypto,
      authenticator: createAuthenticator({ apiKeys, crypto }, { adminKey: config.ADMIN_API_KEY }),
      objects: objects.adapter,
      references,
      cache: cache.adapter,
      webhooks,
      eventFeed,
      deadLetters: queue.adapter,
      productReader,
      listReader: createListReader({ products, cache: cache.adapter }, { ttlMs: config.CACHE_LIST_TTL_MS }),
      probes,
      rateLimits,
    };
    const worker: WorkerDeps = {
      metrics,
      tracer,
      jobs,
      references,
      objects: objects.adapter,
      cache: cache.adapter,
      fetcher,
      compressor,
      dedupe: config.IMAGE_DEDUPE,
      overlap: { cpuSlots: config.WORKER_CONCURRENCY, maxBytesInFlight: config.WORKER_MAX_BYTES_IN_FLIGHT, maxSourceBytes: config.IMAGE_MAX_BYTES },
      logger,
      outbox,
      publisher: queue.adapter,
      consumer: queue.adapter,
      retry: retryPolicy(config.IMAGE_RETRY_DELAYS_MS),
      webhooks: { targets: webhooks, sender, maxInFlightPerEndpoint: config.WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT, slotWaitMs: config.WEBHOOK_SLOT_WAIT_MS },
      stream: events.adapter,
      recovery: queue.embedded ? jobs : undefined,
      yielding: gate,
    };
    const objectSweep = { objects: objects.adapter, listing: objects.adapter, references };
    const load = apiLoad && { reports: apiLoad.adapter, host, gate };
    return { deps: { api, worker, metrics, embeddedQueue: queue.embedded, tracer, objectSweep, apiLoad: load }, backends, close };
  } catch (error) {
    await close();
    throw error;
  }
}

type Open = ReturnType<typeof opener>['open'];

/** What `wire` opens, released again when wiring fails part way; an operator scope in one call. */
async function built<T>(logger: Logger, wire: (open: Open) => Promise<T>): Promise<Built<T>> {
  const { open, backends, close } = opener(logger);
  try {
    return { deps: await wire(open), backends, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The database, migrated: every operator scope that reads rows starts here. */
async function migratedDatabase(open: Open, config: Config) {
  const database = await open('database', openDatabase(config));
  await runMigrations(database.adapter);
  return database.adapter;
}

async function buildDeadLetters(config: Config, logger: Logger): Promise<Built<{ deadLetters: DeadLetters }>> {
  if (!config.AMQP_URL) {
    throw new Error('AMQP_URL is not set: the embedded queue keeps its dead letters inside the running service process.');
  }
  return built(logger, async (open) => ({ deadLetters: (await open('queue', openQueue(config, logger))).adapter }));
}

/** What the operator's `gc` command needs: the objects, their listing, and the image rows' references. */
export interface ObjectSweepDeps {
  readonly objects: ObjectStore;
  readonly listing: ObjectListing;
  readonly references: ObjectReferences;
}

function buildObjectSweep(config: Config, logger: Logger): Promise<Built<ObjectSweepDeps>> {
  return built(logger, async (open) => {
    const database = await migratedDatabase(open, config);
    const objects = await open('objects', openObjectStore(config));
    return { objects: objects.adapter, listing: objects.adapter, references: new PostgresObjectReferences(database) };
  });
}

/** What the operator's `reprocess` command needs: the done image rows, the cache to invalidate, the rendition set. */
export interface BackfillDeps {
  readonly backfill: ImageBackfill;
  readonly cache: ProductWriteCache;
  readonly expected: RenditionSet;
}

function buildBackfill(config: Config, logger: Logger): Promise<Built<BackfillDeps>> {
  return built(logger, async (open) => {
    const database = await migratedDatabase(open, config);
    const cache = await open('cache', openCache(config, logger));
    return { backfill: new PostgresImageBackfill(database), cache: cache.adapter, expected: configuredRenditions(config) };
  });
}

/**
 * The composition root: the only place that picks adapters. Each port uses its real technology
 * when its variable is set and the embedded default otherwise. `service` wires the API and the
 * worker; `dead-letters` only the queue, for the operator's `dlq` command; `objects` the object
 * store and the database, for the operator's `gc` command; `backfill` the database and the cache,
 * for the operator's `reprocess` command.
 */
export function buildDeps(config: Config, logger: Logger, scope: 'service', overrides?: BuildOverrides): Promise<Built<ServiceDeps>>;
export function buildDeps(config: Config, logger: Logger, scope: 'dead-letters'): Promise<Built<{ deadLetters: DeadLetters }>>;
export function buildDeps(config: Config, logger: Logger, scope: 'objects'): Promise<Built<ObjectSweepDeps>>;
export function buildDeps(config: Config, logger: Logger, scope: 'backfill'): Promise<Built<BackfillDeps>>;
export function buildDeps(config: Config, logger: Logger, scope: 'service' | 'dead-letters' | 'objects' | 'backfill', overrides: BuildOverrides = {}) {
  if (scope === 'objects') return buildObjectSweep(config, logger);
  if (scope === 'backfill') return buildBackfill(config, logger);
  return scope === 'service' ? buildService(config, logger, overrides) : buildDeadLetters(config, logger);
}
