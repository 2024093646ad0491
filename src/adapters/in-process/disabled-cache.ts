import type { Cache, CacheEntry } from '../../application/ports/cache.js';

/** A Cache that never holds anything: every read goes to the database (benchmark baseline). */
export class DisabledCache implements Cache {
  async get(): Promise<CacheEntry | null> {
    return null;
  }

  async set(): Promise<boolean> {
    return false;
  }

  async invalidate(): Promise<void> {}

  close(): Promise<void> {
    return Promise.resolve();
  }
}
