/** One hit counted: the hits of the key's current window, this one included, and when it ends. */
export interface RateCount {
  readonly count: number;
  /** Milliseconds until the window ends and the count starts again from zero. */
  readonly resetMs: number;
}

/**
 * Fixed-window hit counters shared by every API instance that uses the same store. A window
 * starts with the first hit of its key and lasts `windowMs`.
 */
export interface RateLimiter {
  /** Counts a hit of `key`; throws when the store cannot answer (the caller decides to fail open). */
  hit(key: string, windowMs: number): Promise<RateCount>;
}
