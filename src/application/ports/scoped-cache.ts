/** What a scope holds for one key at the scope's current generation. */
export interface ScopedRead {
  /** The scope's generation now; pass it to setScoped after loading. */
  readonly generation: number;
  /** The entry stored at this generation, or null when there is none. */
  readonly value: string | null;
}

/**
 * A shared cache of derived answers (the pages of one user's product list) grouped in scopes,
 * each with a generation. Every committed change to what a scope covers bumps it; an entry is
 * served only at the generation it was stored at, and stored only while the scope is still at
 * the generation its reader saw before loading. So once bump() has returned, no reader anywhere
 * is served an answer computed before the change. Fails open like Cache.
 */
export interface ScopedCache {
  /**
   * The scope's generation and the entry `key` holds at it; null when the cache cannot answer
   * or cannot be trusted right now (load, and do not store).
   */
  getScoped(scope: string, key: string): Promise<ScopedRead | null>;
  /** Stores `value` as `key` for about `ttlMs` if the scope is still at `generation`; whether it stored. */
  setScoped(scope: string, key: string, value: string, generation: number, ttlMs: number): Promise<boolean>;
  /**
   * Moves the scope to a new, higher generation, after a committed change. When the cache cannot
   * be reached, this instance serves nothing cached until it has retired every entry (epoch).
   */
  bump(scope: string): Promise<void>;
}
