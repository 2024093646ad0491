/** One cached value and the version of the data it was read at. */
export interface CacheEntry {
  readonly value: string;
  readonly version: number;
}

/**
 * A shared read cache with versioned entries. Writers mark keys at the version they committed;
 * a reader that loaded an older version can then no longer store it, so an invalidation is
 * never undone by a slow reader (no stale-set race). Every call fails open: when the cache is
 * down or slow it answers "miss" or does nothing, within a few tens of milliseconds.
 */
export interface Cache {
  /** The entry, or null on a miss, a tombstone, or when the cache cannot answer in time. */
  get(key: string): Promise<CacheEntry | null>;
  /**
   * Stores `value` read at `version` for about `ttlMs`, unless the key holds an entry or mark
   * with a higher version. Returns whether it stored.
   */
  set(key: string, value: string, version: number, ttlMs: number): Promise<boolean>;
  /**
   * Marks the key changed at `version` (the version just committed): the entry goes, and any
   * store with a lower version is refused for a while. If the cache cannot be reached the mark
   * is kept and replayed, and readers do not trust cached entries until it is.
   */
  invalidate(key: string, version: number): Promise<void>;
}
