import type { Cluster, Redis } from 'ioredis';
import type { Cache, CacheEntry } from '../../application/ports/cache.js';
import type { MetricSample, MetricsSource } from '../../application/ports/metrics.js';
import type { Probe } from '../../application/ports/probe.js';
import type { ScopedCache, ScopedRead } from '../../application/ports/scoped-cache.js';
import { checkCacheArguments as checkArguments } from '../../application/cache-arguments.js';
import { cacheFigures, metricSamples, type Figure } from '../../application/metric-samples.js';
import { redactUrlPasswords } from '../../application/redaction.js';
import { defineCacheScripts, type CacheScripts } from './cache-scripts.js';
import { CircuitBreaker, type BreakerState } from './circuit-breaker.js';
import { NearCache, type NearCacheStats } from './near-cache.js';
import { PendingInvalidations } from './pending-invalidations.js';
import { defineScopedScripts, type ScopedScripts } from './scoped-scripts.js';
import {
  clusterTarget,
  createRedisClient,
  connectStrictly,
  reasonOf,
  resolveSettings,
  type RedisCacheOptions,
  type RedisCacheSettings,
} from './redis-cache-options.js';

/** Counters since construction; `hits` and `misses` are what the HTTP layer reports. */
export interface RedisCacheStats {
  readonly hits: number;
  /** Includes gets answered null because Redis failed or could not be trusted. */
  readonly misses: number;
  readonly sets: number;
  /** Sets refused because a newer entry or mark was stored. */
  readonly refusedSets: number;
  readonly invalidations: number;
  /** Commands that failed or timed out. */
  readonly errors: number;
  /** Commands sent to Redis (script calls, not PINGs). */
  readonly commands: number;
  /** Calls answered without asking Redis: breaker open or invalidations still pending. */
  readonly skipped: number;
  readonly epochBumps: number;
  /** Scope generations bumped (a user's products changed). */
  readonly bumps: number;
  readonly pendingInvalidations: number;
  readonly breaker: BreakerState;
  /** The copies held in this process, when `local` is set. */
  readonly local?: NearCacheStats;
}

type Counter = Exclude<keyof RedisCacheStats, 'pendingInvalidations' | 'breaker' | 'local'>;

const FAILED = Symbol('failed');
// Marks replayed per script call, so one call stays well inside the command timeout.
const REPLAY_BATCH = 500;
// How often pending marks are retried while the breaker is closed.
const RETRY_PENDING_MS = 250;
const noop = () => undefined;

const localCounters = (local: NearCacheStats): Figure[] => [
  ['local_hits', "Hits answered from this process's copies (counted in hits too).", local.localHits],
  ['local_syncs', 'PINGs that confirmed the copies, each for every read of one event-loop turn.', local.syncs],
];
const localGauges = (local: NearCacheStats): Figure[] => [
  ['local_entries', 'Entries copied in this process.', local.localEntries],
  ['local_bytes', 'Estimated bytes of the copies in this process.', local.localBytes],
  ['local_armed', '1 while Redis tracking keeps the copies coherent and they are served.', local.armed ? 1 : 0],
];

/**
 * Cache on Redis with versioned entries and marks, each change one atomic Lua script (see
 * cache-scripts.ts). Fails open: every call answers within about the command timeout, a circuit
 * breaker stops sending after repeated failures, invalidations that cannot be written are kept and
 * replayed (no entry is trusted until they are), and after an outage the first successful probe
 * bumps the shared epoch so entries that other instances may have failed to invalidate are retired.
 * Scoped entries (see scoped-scripts.ts) fail open the same way: a bump that cannot be written
 * counts as an outage, so nothing cached is served here until the epoch bump retires every entry.
 * Construction does no I/O: the connection opens on first use (or with `RedisCache.connect`).
 */
export class RedisCache implements Cache, ScopedCache, MetricsSource {
  /** Readiness: PING within the command timeout. */
  readonly probe: Probe;
  readonly #settings: RedisCacheSettings;
  readonly #client: Redis | Cluster;
  readonly #scripts: CacheScripts;
  readonly #scoped: ScopedScripts;
  readonly #breaker: CircuitBreaker;
  readonly #pending: PendingInvalidations;
  readonly #near: NearCache | undefined;
  readonly #counts: Record<Counter, number> = {
    hits: 0,
    misses: 0,
    sets: 0,
    refusedSets: 0,
    invalidations: 0,
    errors: 0,
    commands: 0,
    skipped: 0,
    epochBumps: 0,
    bumps: 0,
  };
  // Set when the breaker opens or a pending mark had to be dropped: entries may have missed
  // invalidations (here or on other instances) until the epoch is bumped.
  #outage = false;
  #lastError: unknown;
  #healing: Promise<boolean> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #connecting: Promise<void> | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: RedisCacheOptions) {
    const settings = resolveSettings(options);
    this.#settings = settings;
    this.#client = createRedisClient(settings);
    // Connection errors are retried in the background and show up as failed commands.
    this.#client.on('error', (error: unknown) => (this.#lastError = error));
    this.#scripts = defineCacheScripts(this.#client, settings.prefix, settings.tombstoneTtlMs);
    this.#scoped = defineScopedScripts(this.#client, settings.prefix, settings.generationTtlMs);
    this.#breaker = new CircuitBreaker(settings.breaker, settings.now);
    this.#pending = new PendingInvalidations(settings.maxPendingInvalidations);
    this.#near = options.local && !clusterTarget(settings.url) ? new NearCache(settings, options.local) : undefined;
    this.probe = { name: 'redis', check: () => this.#ping() };
  }

  /** Connects and PINGs; rejects with a readable message when Redis cannot be reached (for a strict startup). */
  static async connect(options: RedisCacheOptions): Promise<RedisCache> {
    const cache = new RedisCache(options);
    await connectStrictly(cache.#client, options.url, () => cache.close());
    await cache.#near?.start();
    return cache;
  }

  async get(key: string): Promise<CacheEntry | null> {
    if (!(await this.#usable())) {
      this.#count('misses');
      return this.#skip(null);
    }
    const near = this.#near;
    const local = near && (await near.read(key));
    // The breaker may have opened (or a mark become owed) while the copy was being confirmed.
    if (local && this.#trusted()) {
      this.#count('hits');
      return local;
    }
    const fill = near?.begin(key);
    const stored = await this.#send(() => this.#scripts.get(key));
    const entry = stored === FAILED ? null : stored;
    near?.complete(fill, this.#trusted() ? entry : null);
    this.#count(entry ? 'hits' : 'misses');
    return entry;
  }

  async set(key: string, value: string, version: number, ttlMs: number): Promise<boolean> {
    checkArguments(version, ttlMs);
    if (!(await this.#usable())) return this.#skip(false);
    // Not copied here: the store itself makes Redis broadcast an invalidation of the key, which
    // would drop the copy a moment later. The next read copies it.
    const stored = await this.#send(() => this.#scripts.set(key, value, version, Math.ceil(ttlMs)));
    if (stored === FAILED) return false;
    this.#count(stored === 1 ? 'sets' : 'refusedSets');
    return stored === 1;
  }

  async invalidate(key: string, version: number): Promise<void> {
    checkArguments(version);
    this.#count('invalidations');
    this.#near?.invalidate(key);
    if (this.#closing) return;
    if (this.#breaker.state === 'closed') {
      const written = await this.#send(() => this.#scripts.invalidate([[key, version]]));
      if (written !== FAILED) return this.#pending.settle([[key, version]]);
    } else {
      this.#count('skipped');
    }
    // Past the bound the mark is dropped; bumping the epoch then retires every entry instead.
    if (!this.#pending.add(key, version)) this.#outage = true;
    this.#schedule();
  }

  async getScoped(scope: string, key: string): Promise<ScopedRead | null> {
    const read = (await this.#usable())
      ? // The epoch is read beside the entry, as for plain entries: an entry tagged older is not served.
        await this.#send(() => this.#scoped.read(scope, key, this.#scripts.readEpoch()))
      : this.#skip(null);
    const answer = read === FAILED ? null : read;
    this.#count(answer && answer.value !== null ? 'hits' : 'misses');
    return answer;
  }

  async setScoped(scope: string, key: string, value: string, generation: number, ttlMs: number): Promise<boolean> {
    checkArguments(generation, ttlMs);
    if (!(await this.#usable())) return this.#skip(false);
    const stored = await this.#send(async () => this.#scoped.store(scope, key, value, await this.#scripts.storeEpoch(), generation, Math.ceil(ttlMs)));
    if (stored === FAILED) return false;
    this.#count(stored === 1 ? 'sets' : 'refusedSets');
    return stored === 1;
  }

  async bump(scope: string): Promise<void> {
    this.#count('bumps');
    if (this.#closing) return;
    if (this.#breaker.state !== 'closed') this.#count('skipped');
    else if ((await this.#send(() => this.#scoped.bump(scope))) !== FAILED) return;
    // Entries of this scope, here and on other instances, may now be stale: retire them all.
    this.#outage = true;
    this.#schedule();
  }

  /** The counters since construction and the current state, for metrics() and diagnostics. */
  stats(): RedisCacheStats {
    return { ...this.#counts, pendingInvalidations: this.#pending.size, breaker: this.#breaker.state, ...(this.#near && { local: this.#near.stats() }) };
  }

  metrics(): MetricSample[] {
    const stats = this.stats();
    return metricSamples(
      'redis_cache',
      [
        ...cacheFigures(stats),
        ['errors', 'Redis commands that failed or timed out.', stats.errors],
        ['commands', 'Script calls sent to Redis.', stats.commands],
        ['skipped', 'Calls answered without Redis: breaker open or invalidations pending.', stats.skipped],
        ['epoch_bumps', 'Epoch bumps after an outage, each retiring every entry.', stats.epochBumps],
        ['bumps', "Scope generations bumped (a user's products changed).", stats.bumps],
        ...(stats.local ? localCounters(stats.local) : []),
      ],
      [
        ['pending_invalidations', 'Invalidations waiting to be replayed to Redis.', stats.pendingInvalidations],
        ['breaker_open', '1 while the circuit breaker keeps commands from Redis.', stats.breaker === 'closed' ? 0 : 1],
        ...(stats.local ? localGauges(stats.local) : []),
      ],
    );
  }

  /** Replays pending marks if Redis answers at once, then quits; never waits on an unreachable Redis. */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    await this.#near?.close();
    if (this.#pending.size > 0) await this.#heal();
    clearTimeout(this.#timer);
    const client = this.#client;
    // QUIT is bounded by the command timeout; disconnect also stops any reconnect loop.
    if (client.status === 'ready') await client.quit().catch(noop);
    client.disconnect();
  }

  // Whether entries can be trusted now: breaker closed, nothing pending, no epoch bump owed.
  #trusted(): boolean {
    return !this.#closing && this.#breaker.state === 'closed' && this.#pending.size === 0 && !this.#outage;
  }

  async #usable(): Promise<boolean> {
    if (this.#closing) return false;
    if (this.#trusted()) return true;
    return this.#heal();
  }

  // One recovery at a time: the half-open probe, the epoch bump and the replay of pending marks.
  #heal(): Promise<boolean> {
    this.#healing ??= this.#replay().finally(() => {
      this.#healing = undefined;
      this.#schedule();
    });
    return this.#healing;
  }

  async #replay(): Promise<boolean> {
    if (this.#breaker.state !== 'closed' && !this.#breaker.tryProbe()) return false;
    // The owed marks first, then the epoch (see cache-scripts.ts for why in this order).
    while (this.#pending.size > 0) {
      const batch = this.#pending.batch(REPLAY_BATCH);
      if ((await this.#send(() => this.#scripts.invalidate(batch))) === FAILED) return false;
      this.#pending.settle(batch);
    }
    if (this.#outage) {
      const epoch = await this.#send(() => this.#scripts.bumpEpoch());
      if (epoch === FAILED) return false;
      this.#bumped(epoch);
    }
    return true;
  }

  #bumped(epoch: unknown): void {
    this.#near?.clear();
    this.#outage = false;
    this.#count('epochBumps');
    this.#settings.logger?.info({ epoch }, 'redis cache recovered: epoch bumped, older entries retired');
  }

  // Keeps recovery going without traffic: at the end of the open period, or soon for pending marks.
  #schedule(): void {
    if (this.#closing || this.#timer || this.#healing) return;
    if (this.#breaker.state === 'closed' && this.#pending.size === 0 && !this.#outage) return;
    const delay = this.#breaker.state === 'open' ? Math.max(10, this.#breaker.msUntilProbe()) : RETRY_PENDING_MS;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#heal();
    }, delay);
    this.#timer.unref();
  }

  async #send<T>(command: () => Promise<T>): Promise<T | typeof FAILED> {
    this.#count('commands');
    try {
      await this.#connected();
      const result = await command();
      this.#breaker.success();
      return result;
    } catch (error) {
      this.#count('errors');
      this.#lastError = error;
      if (this.#breaker.failure()) this.#opened();
      return FAILED;
    }
  }

  #opened(): void {
    this.#outage = true;
    this.#near?.clear();
    const { failureThreshold, openMs } = this.#settings.breaker;
    const reason = reasonOf(this.#lastError);
    this.#settings.logger?.warn({ reason, failureThreshold, openMs }, 'redis cache unreachable: breaker open, serving without cache');
    this.#schedule();
  }

  // The first use opens the connection; calls meanwhile wait for it no longer than for a command.
  async #connected(): Promise<void> {
    if (this.#client.status === 'wait') {
      this.#connecting = this.#client
        .connect()
        .then(noop, noop)
        .finally(() => (this.#connecting = undefined));
    }
    if (this.#connecting === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.#settings.commandTimeoutMs)));
    await Promise.race([this.#connecting, timeout]);
    clearTimeout(timer);
  }

  async #ping(): Promise<void> {
    if (this.#closing) throw new Error('the Redis cache is closed');
    await this.#connected();
    await this.#client.ping().catch((error: unknown) => {
      throw new Error(`Redis at ${redactUrlPasswords(this.#settings.url)} did not answer PING: ${reasonOf(error)}`, { cause: error });
    });
  }

  #skip<T>(answer: T): T {
    this.#count('skipped');
    return answer;
  }

  #count(counter: Counter): void {
    this.#counts[counter] += 1;
  }
}
