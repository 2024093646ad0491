import { setImmediate as nextTurn } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { CacheEntry } from '../../application/ports/cache.js';
import { cacheKeys } from './cache-scripts.js';
import { LocalEntries, type Fill } from './local-entries.js';
import { clientOptions, reasonOf, type NearCacheOptions, type RedisCacheSettings } from './redis-cache-options.js';

/** Where Redis sends the invalidations of broadcast tracking to a client that asked for a redirect. */
const INVALIDATE_CHANNEL = '__redis__:invalidate';
// After a lost tracking connection: the first re-arm at once, then 100 ms, 200 ms, ... capped at 5 s.
const REARM_MAX_MS = 5_000;

export interface NearCacheStats {
  /** Reads answered from this process's copy. */
  readonly localHits: number;
  /** Round trips that confirmed the copies (one serves every read that arrived before it was sent). */
  readonly syncs: number;
  readonly localEntries: number;
  readonly localBytes: number;
  /** Whether the tracking connection is up and copies are served. */
  readonly armed: boolean;
  /** Times tracking was set up: 1, and one more after each lost connection. */
  readonly arms: number;
}

type State = 'off' | 'arming' | 'armed' | 'closed';

/**
 * Copies of hot Redis entries in this process, never staler than Redis itself. Redis tracks, for
 * a connection of ours, every change to the cache's entry and mark keys and to its epoch
 * (CLIENT TRACKING … BCAST), and pushes each changed key to a second connection subscribed to
 * its invalidation channel. A copy is served only after a PING on that same connection, sent after
 * the read arrived, has come back: Redis answers it after every invalidation it queued before, so
 * a write whose invalidation returned before the read began has reached this process by then.
 * One PING serves every read of the same event-loop turn, so a busy instance pays a fraction of a
 * round trip per read instead of two commands. A read from Redis is copied only if no
 * invalidation of its key arrived while it was in flight (LocalEntries). Losing either connection
 * drops every copy and stops serving them until tracking is set up again on fresh connections.
 */
export class NearCache {
  readonly #settings: RedisCacheSettings;
  readonly #entries: LocalEntries;
  readonly #keyPrefix: string;
  // Every Redis key of a cache key K is <start>K<end>, one end for the entry and one for its mark.
  readonly #start: string;
  readonly #ends: readonly string[];
  readonly #epochKey: string;
  #state: State = 'off';
  #session = 0;
  #listener: Redis | undefined;
  #tracked: Redis | undefined;
  #sync: Promise<boolean> | undefined;
  #rearms = 0;
  #timer: NodeJS.Timeout | undefined;
  #counts = { localHits: 0, syncs: 0, arms: 0 };

  constructor(settings: RedisCacheSettings, options: NearCacheOptions) {
    this.#settings = settings;
    this.#entries = new LocalEntries(options.maxBytes);
    this.#keyPrefix = options.keyPrefix ?? '';
    const sample = cacheKeys(settings.prefix, '\u0000');
    const at = sample.entry.indexOf('\u0000');
    this.#start = sample.entry.slice(0, at);
    this.#ends = [sample.entry.slice(at + 1), sample.mark.slice(at + 1)];
    this.#epochKey = sample.epoch;
  }

  /** Sets up tracking; resolves once copies may be served (or it failed and retries in the background). */
  start(): Promise<void> {
    return this.#arm();
  }

  /**
   * The copy of `key`, confirmed against every invalidation Redis sent before this call; undefined
   * when none is held or it cannot be confirmed (the caller then asks Redis).
   */
  async read(key: string): Promise<CacheEntry | undefined> {
    if (this.#state !== 'armed' || !this.#entries.has(key)) return undefined;
    const session = this.#session;
    if (!(await this.#confirm()) || session !== this.#session) return undefined;
    const entry = this.#entries.get(key);
    if (entry) this.#counts.localHits += 1;
    return entry;
  }

  /** Call before asking Redis for `key`; pass the answer to `complete`. Undefined when the answer may not be copied. */
  begin(key: string): Fill | undefined {
    if (this.#state !== 'armed' || !key.startsWith(this.#keyPrefix)) return undefined;
    return this.#entries.begin(key);
  }

  complete(fill: Fill | undefined, entry: CacheEntry | null): void {
    if (fill) this.#entries.complete(fill, entry);
  }

  /** This process changed the key: its copy goes now, before Redis says so. */
  invalidate(key: string): void {
    this.#entries.invalidate(key);
  }

  /** This process retired every entry (an epoch bump). */
  clear(): void {
    this.#entries.clear();
  }

  stats(): NearCacheStats {
    return { ...this.#counts, localEntries: this.#entries.size, localBytes: this.#entries.bytes, armed: this.#state === 'armed' };
  }

  async close(): Promise<void> {
    this.#state = 'closed';
    clearTimeout(this.#timer);
    this.#disarm();
  }

  // One PING per event-loop turn: every read that arrived before it was sent waits for the same one.
  #confirm(): Promise<boolean> {
    this.#sync ??= nextTurn().then(() => {
      this.#sync = undefined;
      const listener = this.#listener;
      if (this.#state !== 'armed' || listener === undefined) return false;
      this.#counts.syncs += 1;
      // A PING that fails or times out confirms nothing: these reads go to Redis. A connection that
      // really went is handled by its close event.
      return listener.ping().then(
        () => true,
        () => false,
      );
    });
    return this.#sync;
  }

  async #arm(): Promise<void> {
    if (this.#state !== 'off') return;
    this.#state = 'arming';
    this.#session += 1;
    this.#entries.clear();
    const options = { ...clientOptions(this.#settings), enableAutoPipelining: false, autoResubscribe: false, retryStrategy: () => null };
    const listener = new Redis(this.#settings.url, { ...options, connectionName: `${this.#settings.prefix}:near-cache:listener` });
    const tracked = new Redis(this.#settings.url, { ...options, connectionName: `${this.#settings.prefix}:near-cache:tracked` });
    this.#listener = listener;
    this.#tracked = tracked;
    for (const client of [listener, tracked]) {
      client.on('error', () => undefined);
      client.on('close', () => this.#lost(client, new Error('connection closed')));
    }
    try {
      await Promise.all([listener.connect(), tracked.connect()]);
      const id = (await listener.client('ID')) as number;
      listener.on('messageBuffer', (_channel: Buffer, keys: Buffer[] | null) => this.#invalidated(keys));
      await listener.subscribe(INVALIDATE_CHANNEL);
      await tracked.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', String(id), 'BCAST', 'PREFIX', `${this.#start}${this.#keyPrefix}`, 'PREFIX', this.#epochKey);
    } catch (error) {
      this.#lost(listener, error);
      return;
    }
    if (this.#listener !== listener) return;
    this.#state = 'armed';
    this.#rearms = 0;
    this.#counts.arms += 1;
  }

  #invalidated(keys: Buffer[] | null): void {
    // A null list: Redis flushed a database or dropped its tracking table.
    if (keys === null) return this.#entries.clear();
    for (const buffer of keys) {
      const redisKey = buffer.toString();
      if (redisKey === this.#epochKey) return this.#entries.clear();
      const end = this.#ends.find((tail) => redisKey.endsWith(tail));
      if (end !== undefined) this.#entries.invalidate(redisKey.slice(this.#start.length, redisKey.length - end.length));
    }
  }

  // Either connection went: invalidations may have been missed, so nothing held can be trusted.
  #lost(client: Redis, error: unknown): void {
    if (client !== this.#listener && client !== this.#tracked) return;
    const wasArmed = this.#state === 'armed';
    this.#disarm();
    if (this.#state === 'closed') return;
    this.#state = 'off';
    if (wasArmed) this.#settings.logger?.warn({ reason: reasonOf(error) }, 'redis cache: tracking connection lost, local copies dropped');
    const delay = this.#rearms === 0 ? 0 : Math.min(100 * 2 ** (this.#rearms - 1), REARM_MAX_MS);
    this.#rearms += 1;
    this.#timer = setTimeout(() => void this.#arm(), delay);
    this.#timer.unref();
  }

  #disarm(): void {
    this.#entries.clear();
    this.#session += 1;
    const clients = [this.#listener, this.#tracked];
    this.#listener = undefined;
    this.#tracked = undefined;
    for (const client of clients) client?.disconnect();
  }
}
