import { checkCacheArguments as checkArguments } from '../../application/cache-arguments.js';
import { cacheFigures, metricSamples } from '../../application/metric-samples.js';
import type { Cache, CacheEntry } from '../../application/ports/cache.js';
import type { MetricSample, MetricsSource } from '../../application/ports/metrics.js';
import type { ScopedCache, ScopedRead } from '../../application/ports/scoped-cache.js';

/** Sizes and clock of the in-process cache. */
export interface InProcessCacheOptions {
  /** Entries kept, and separately marks kept; the least recently used go first (default 10 000). */
  readonly maxEntries?: number;
  /** How long a mark refuses older sets (default 60 s, as in RedisCache). */
  readonly tombstoneTtlMs?: number;
  /** Milliseconds since the epoch; tests inject a controllable clock. */
  readonly now?: () => number;
}

/** Counters since construction, plus the current sizes. */
export interface InProcessCacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly sets: number;
  readonly refusedSets: number;
  readonly invalidations: number;
  readonly evictions: number;
  readonly entries: number;
  readonly marks: number;
  /** Scoped entries (list pages) held. */
  readonly scoped: number;
  readonly bumps: number;
}

interface Stored {
  readonly version: number;
  readonly expiresAt: number;
  readonly value?: string;
}

type Counter = Exclude<keyof InProcessCacheStats, 'entries' | 'marks' | 'scoped'>;

interface ScopedStored extends Stored {
  readonly value: string;
}

/**
 * The embedded Cache, and the fake for unit tests: RedisCache's versioned semantics in two Maps.
 * Entries and marks are kept apart (as in Redis) so a short-lived entry never shortens the life of
 * the mark it replaced. Scoped entries keep the generation they were stored at; generations come
 * from one counter, so a scope whose generation was evicted comes back above every earlier one.
 * It never fails; it is only shared within one process.
 */
export class InProcessCache implements Cache, ScopedCache, MetricsSource {
  // Each entry keeps the object get hands out, so repeated hits return the same one (readers may
  // memoize what they derive from it).
  readonly #entries = new Map<string, Stored & { readonly value: string; readonly entry: CacheEntry }>();
  readonly #marks = new Map<string, Stored>();
  readonly #scoped = new Map<string, ScopedStored>();
  readonly #generations = new Map<string, Stored>();
  #lastGeneration = 0;
  readonly #max: number;
  readonly #tombstoneTtlMs: number;
  readonly #now: () => number;
  readonly #counts: Record<Counter, number> = { hits: 0, misses: 0, sets: 0, refusedSets: 0, invalidations: 0, evictions: 0, bumps: 0 };
  #closed = false;

  constructor(options: InProcessCacheOptions = {}) {
    this.#max = options.maxEntries ?? 10_000;
    this.#tombstoneTtlMs = options.tombstoneTtlMs ?? 60_000;
    this.#now = options.now ?? Date.now;
  }

  async get(key: string): Promise<CacheEntry | null> {
    const entry = this.#live(this.#entries, key);
    this.#counts[entry ? 'hits' : 'misses'] += 1;
    if (!entry) return null;
    this.#touch(this.#entries, key, entry);
    return entry.entry;
  }

  async set(key: string, value: string, version: number, ttlMs: number): Promise<boolean> {
    checkArguments(version, ttlMs);
    if (this.#closed || version < this.#floor(key)) {
      this.#counts.refusedSets += 1;
      return false;
    }
    this.#touch(this.#entries, key, { value, version, expiresAt: this.#now() + ttlMs, entry: { value, version } });
    this.#counts.sets += 1;
    return true;
  }

  async invalidate(key: string, version: number): Promise<void> {
    checkArguments(version);
    this.#counts.invalidations += 1;
    if (this.#closed) return;
    const top = Math.max(version, this.#floor(key));
    this.#entries.delete(key);
    this.#touch(this.#marks, key, { version: top, expiresAt: this.#now() + this.#tombstoneTtlMs });
  }

  async getScoped(scope: string, key: string): Promise<ScopedRead | null> {
    if (this.#closed) return null;
    const generation = this.#generation(scope);
    const entry = this.#live(this.#scoped, scopedKey(scope, key));
    const value = entry && entry.version === generation ? entry.value : null;
    this.#counts[value === null ? 'misses' : 'hits'] += 1;
    if (entry && value !== null) this.#touch(this.#scoped, scopedKey(scope, key), entry);
    return { generation, value };
  }

  async setScoped(scope: string, key: string, value: string, generation: number, ttlMs: number): Promise<boolean> {
    checkArguments(generation, ttlMs);
    if (this.#closed || this.#generation(scope) !== generation) {
      this.#counts.refusedSets += 1;
      return false;
    }
    this.#touch(this.#scoped, scopedKey(scope, key), { value, version: generation, expiresAt: this.#now() + ttlMs });
    this.#counts.sets += 1;
    return true;
  }

  async bump(scope: string): Promise<void> {
    this.#counts.bumps += 1;
    if (this.#closed) return;
    this.#touch(this.#generations, scope, { version: ++this.#lastGeneration, expiresAt: Infinity });
  }

  /** The counters since construction and the current sizes, for metrics() and diagnostics. */
  stats(): InProcessCacheStats {
    return { ...this.#counts, entries: this.#entries.size, marks: this.#marks.size, scoped: this.#scoped.size };
  }

  metrics(): MetricSample[] {
    const stats = this.stats();
    return metricSamples(
      'inprocess_cache',
      [
        ...cacheFigures(stats),
        ['evictions', 'Entries and marks dropped, least recently used first, past the size bound.', stats.evictions],
        ['bumps', 'Scope generations bumped (a user\'s products changed).', stats.bumps],
      ],
      [
        ['entries', 'Entries held.', stats.entries],
        ['marks', 'Marks (tombstones) held.', stats.marks],
        ['scoped_entries', 'Scoped entries (list pages) held.', stats.scoped],
      ],
    );
  }

  /** Drops everything; later gets miss and sets are refused. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#entries.clear();
    this.#marks.clear();
    this.#scoped.clear();
    this.#generations.clear();
  }

  // A scope seen for the first time (or evicted) starts above every generation handed out so far.
  #generation(scope: string): number {
    const stored = this.#generations.get(scope);
    if (stored) return stored.version;
    const generation = ++this.#lastGeneration;
    this.#touch(this.#generations, scope, { version: generation, expiresAt: Infinity });
    return generation;
  }

  // The lowest version a set may store: the stored entry's or mark's, whichever is higher.
  #floor(key: string): number {
    const entry = this.#live(this.#entries, key);
    const mark = this.#live(this.#marks, key);
    return Math.max(entry?.version ?? -Infinity, mark?.version ?? -Infinity);
  }

  #live<T extends Stored>(map: Map<string, T>, key: string): T | undefined {
    const stored = map.get(key);
    if (stored === undefined || stored.expiresAt > this.#now()) return stored;
    map.delete(key);
    return undefined;
  }

  // A Map iterates in insertion order, so re-inserting makes the first key the least recently used.
  // Marks all live as long, so their oldest is also the first to expire.
  #touch<T extends Stored>(map: Map<string, T>, key: string, stored: T): void {
    map.delete(key);
    map.set(key, stored);
    for (const oldest of map.keys()) {
      if (map.size <= this.#max) break;
      map.delete(oldest);
      this.#counts.evictions += 1;
    }
  }
}

const scopedKey = (scope: string, key: string) => `${scope}\n${key}`;
