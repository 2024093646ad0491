import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { redactUrlPasswords } from '../../application/redaction.js';
import { retryWithin } from '../../application/retry-within.js';
import type { Logger } from '../../application/ports/logger.js';
import type { CircuitBreakerOptions } from './circuit-breaker.js';

export interface NearCacheOptions {
  /** Bytes of entries held in this process (their text counts twice: JS strings are UTF-16). */
  readonly maxBytes: number;
  /** Only cache keys that start with this are held (default: every key of the plain cache). */
  readonly keyPrefix?: string;
}

/** How RedisCache connects and how it fails open. */
export interface RedisCacheOptions {
  /** `redis://[user:password@]host:port[/db]`, or a cluster: `redis-cluster://[user:password@]host:port[,host:port…]`. */
  readonly url: string;
  /** Namespace of every key this cache writes (default `catalog`). */
  readonly prefix?: string;
  /** Longest wait for one command's answer before the call fails open (default 50 ms). */
  readonly commandTimeoutMs?: number;
  /** Default: 5 consecutive failures open it for 2 s, then one probe. */
  readonly breaker?: Partial<CircuitBreakerOptions>;
  /** How long a mark refuses older sets; at least the longest plausible database read (default 60 s). */
  readonly tombstoneTtlMs?: number;
  /** Distinct keys kept for replay while Redis is unreachable (default 100 000). */
  readonly maxPendingInvalidations?: number;
  /** How long a scope's generation lives after its last change; longer than any scoped entry (default 1 day). */
  readonly generationTtlMs?: number;
  /** Breaker transitions and recoveries are logged; single failures are only counted. */
  readonly logger?: Pick<Logger, 'info' | 'warn'>;
  /** The breaker's clock; tests inject one to hold it open. */
  readonly now?: () => number;
  /**
   * Copies of hot entries held in this process, kept coherent by Redis's tracking (near-cache.ts);
   * none by default. Single-server Redis only: ignored for a cluster URL.
   */
  readonly local?: NearCacheOptions;
}

/** The options with every default applied. */
export interface RedisCacheSettings {
  readonly url: string;
  readonly prefix: string;
  readonly commandTimeoutMs: number;
  readonly breaker: CircuitBreakerOptions;
  readonly tombstoneTtlMs: number;
  readonly maxPendingInvalidations: number;
  readonly generationTtlMs: number;
  readonly logger: Pick<Logger, 'info' | 'warn'> | undefined;
  readonly now: () => number;
}

/** Applies the defaults: prefix `catalog`, 50 ms commands, 5 failures open the breaker for 2 s, 60 s marks. */
export function resolveSettings(options: RedisCacheOptions): RedisCacheSettings {
  return {
    url: options.url,
    prefix: options.prefix ?? 'catalog',
    commandTimeoutMs: options.commandTimeoutMs ?? 50,
    breaker: { failureThreshold: 5, openMs: 2_000, ...options.breaker },
    tombstoneTtlMs: options.tombstoneTtlMs ?? 60_000,
    maxPendingInvalidations: options.maxPendingInvalidations ?? 100_000,
    generationTtlMs: options.generationTtlMs ?? 24 * 60 * 60 * 1000,
    logger: options.logger,
    now: options.now ?? Date.now,
  };
}

/** The seed nodes and credentials of a `redis-cluster://` URL; undefined for any other URL. */
export function clusterTarget(url: string): { nodes: { host: string; port: number }[]; username?: string; password?: string } | undefined {
  const match = /^redis-cluster:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?#]+)\/?$/.exec(url.trim());
  if (!match) return undefined;
  const [, username, password, hosts] = match;
  const nodes = hosts!.split(',').map((node) => {
    const at = node.lastIndexOf(':');
    const port = Number(node.slice(at + 1));
    if (at <= 0 || !Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`redis-cluster URL: "${node}" is not host:port`);
    return { host: node.slice(0, at).replace(/^\[(.*)\]$/, '$1'), port };
  });
  return {
    nodes,
    ...(username && { username: decodeURIComponent(username) }),
    ...(password !== undefined && { password: decodeURIComponent(password) }),
  };
}

/** One server, or a Redis Cluster for a `redis-cluster://` URL, both tuned as clientOptions says. */
export function createRedisClient(settings: RedisCacheSettings): Redis | Cluster {
  const cluster = clusterTarget(settings.url);
  if (!cluster) return new Redis(settings.url, clientOptions(settings));
  const { lazyConnect, enableAutoPipelining, enableOfflineQueue, retryStrategy, ...perNode } = clientOptions(settings);
  return new Cluster(cluster.nodes, {
    lazyConnect,
    enableAutoPipelining,
    enableOfflineQueue,
    clusterRetryStrategy: (attempt: number) => retryStrategy!(attempt) as number,
    slotsRefreshTimeout: perNode.connectTimeout,
    redisOptions: { ...perNode, ...(cluster.username && { username: cluster.username }), ...(cluster.password !== undefined && { password: cluster.password }) },
  });
}

/**
 * ioredis tuned to fail fast. Its defaults queue commands while disconnected and retry them, so a
 * call waits about 70 s when Redis is down; here a call is refused at once when the connection is
 * not ready, is never retried, and gives up after the command timeout.
 */
export function clientOptions(settings: RedisCacheSettings): RedisOptions {
  return {
    lazyConnect: true,
    // Commands issued in the same tick go out in one write: under concurrent GETs this saves a
    // syscall per request (about 8 % of a cached GET was spent in socket writes to Redis).
    enableAutoPipelining: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: settings.commandTimeoutMs,
    connectTimeout: 2_000,
    // Reconnects in the background: 100 ms, 200 ms, ... capped at 2 s.
    retryStrategy: (attempt: number) => Math.min(100 * 2 ** (attempt - 1), 2_000),
  };
}

/** An error's message, for logs and wrapped errors. */
export const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** How long a strict startup waits for Redis to answer: its connect timeout, not one command's. */
export const STARTUP_PING_MS = 2_000;

/**
 * PINGs until Redis answers or `withinMs` has passed. One PING is bounded by the command timeout
 * (50 ms by default), which a loaded machine can pass at startup without Redis being down.
 */
export async function pingWithin(client: { ping(): Promise<unknown> }, withinMs = STARTUP_PING_MS): Promise<void> {
  await retryWithin(() => client.ping(), { withinMs, everyMs: 50 });
}

/** Connects and PINGs, for a strict startup; on failure closes and rejects with a readable message. */
export async function connectStrictly(client: Redis | Cluster, url: string, close: () => Promise<void>): Promise<void> {
  try {
    await client.connect();
    await pingWithin(client);
  } catch (error) {
    await close();
    throw new Error(`Redis is not reachable at ${redactUrlPasswords(url)}: ${reasonOf(error)}`, { cause: error });
  }
}
