import { checkCacheArguments } from '../../application/cache-arguments.js';
import type { Cache, CacheEntry } from '../../application/ports/cache.js';
import type { ScopedCache, ScopedRead } from '../../application/ports/scoped-cache.js';

/**
 * A Cache that never holds anything, so every read goes to the database: the benchmark's uncached
 * baseline, and the choice when no shared cache exists. It keeps the port's argument rule.
 */
export class DisabledCache implements Cache, ScopedCache {
  async get(): Promise<CacheEntry | null> {
    return null;
  }

  async set(_key: string, _value: string, version: number, ttlMs: number): Promise<boolean> {
    checkCacheArguments(version, ttlMs);
    return false;
  }

  async invalidate(_key: string, version: number): Promise<void> {
    checkCacheArguments(version);
  }

  async getScoped(): Promise<ScopedRead | null> {
    return null;
  }

  async setScoped(_scope: string, _key: string, _value: string, generation: number, ttlMs: number): Promise<boolean> {
    checkCacheArguments(generation, ttlMs);
    return false;
  }

  async bump(): Promise<void> {}

  close(): Promise<void> {
    return Promise.resolve();
  }
}
