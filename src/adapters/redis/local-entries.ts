import type { CacheEntry } from '../../application/ports/cache.js';

/** A read of Redis in flight whose answer may be kept locally, unless an invalidation of its key arrives first. */
export interface Fill {
  readonly key: string;
  /** Set by an invalidation of the key (or a flush) while the read was in flight: its answer may be stale. */
  poisoned: boolean;
}

interface Held {
  readonly entry: CacheEntry;
  readonly bytes: number;
}

// What a held entry costs beyond its text: the map slot and the two objects.
const ENTRY_OVERHEAD_BYTES = 96;
// V8 stores a string whose characters all fit in Latin-1 one byte each, any other two.
const TWO_BYTE = /[^\u0000-\u00ff]/;
const textBytes = (text: string) => (TWO_BYTE.test(text) ? 2 : 1) * text.length;

/**
 * The in-process copies of cache entries, bounded by bytes (least recently used out first), and
 * the reads in flight that may add to them. Pure bookkeeping: NearCache decides when a copy may be
 * served. A fill whose key is invalidated while it is in flight is poisoned and never stored, so an
 * answer Redis gave before a write cannot land after the write's invalidation was seen.
 */
export class LocalEntries {
  readonly #held = new Map<string, Held>();
  readonly #fills = new Map<string, Set<Fill>>();
  #bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#held.size;
  }

  has(key: string): boolean {
    return this.#held.has(key);
  }

  /** The copy, marked most recently used. */
  get(key: string): CacheEntry | undefined {
    const held = this.#held.get(key);
    if (held === undefined) return undefined;
    this.#held.delete(key);
    this.#held.set(key, held);
    return held.entry;
  }

  /** Registers a read of `key` about to be sent to Redis. */
  begin(key: string): Fill {
    const fill: Fill = { key, poisoned: false };
    const fills = this.#fills.get(key);
    if (fills) fills.add(fill);
    else this.#fills.set(key, new Set([fill]));
    return fill;
  }

  /** Ends a fill: keeps `entry` unless the fill was poisoned (or there is none to keep). */
  complete(fill: Fill, entry: CacheEntry | null): void {
    const fills = this.#fills.get(fill.key);
    fills?.delete(fill);
    if (fills?.size === 0) this.#fills.delete(fill.key);
    if (fill.poisoned || entry === null) return;
    const bytes = ENTRY_OVERHEAD_BYTES + textBytes(fill.key) + textBytes(entry.value);
    if (bytes > this.maxBytes) return;
    this.#remove(fill.key);
    this.#held.set(fill.key, { entry, bytes });
    this.#bytes += bytes;
    for (const [key, held] of this.#held) {
      if (this.#bytes <= this.maxBytes) break;
      this.#held.delete(key);
      this.#bytes -= held.bytes;
    }
  }

  /** The key changed: its copy goes and its fills in flight are poisoned. */
  invalidate(key: string): void {
    this.#remove(key);
    for (const fill of this.#fills.get(key) ?? []) fill.poisoned = true;
  }

  /** Everything may have changed: every copy goes, every fill in flight is poisoned. */
  clear(): void {
    this.#held.clear();
    this.#bytes = 0;
    for (const fills of this.#fills.values()) for (const fill of fills) fill.poisoned = true;
  }

  #remove(key: string): void {
    const held = this.#held.get(key);
    if (held === undefined) return;
    this.#held.delete(key);
    this.#bytes -= held.bytes;
  }
}
