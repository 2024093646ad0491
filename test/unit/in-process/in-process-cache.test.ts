import { describe, expect, it } from 'vitest';
import { DisabledCache, InProcessCache } from '../../../src/adapters/in-process/index.js';
import { cacheContract } from '../../contracts/cache.contract.js';
import { scopedCacheContract } from '../../contracts/scoped-cache.contract.js';

cacheContract('in-process', async ({ tombstoneTtlMs }) => {
  const cache = new InProcessCache({ tombstoneTtlMs });
  return { cache, close: () => cache.close() };
});

const clock = (start = 1_000_000) => {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
};

describe('InProcessCache', () => {
  it('expires entries and marks on its clock', async () => {
    const time = clock();
    const cache = new InProcessCache({ now: time.now, tombstoneTtlMs: 1_000 });
    await cache.set('a', 'v1', 1, 500);
    await cache.invalidate('b', 5);
    time.advance(499);
    expect(await cache.get('a')).toEqual({ value: 'v1', version: 1 });
    expect(await cache.set('b', 'v4', 4, 500)).toBe(false);
    time.advance(1);
    expect(await cache.get('a')).toBeNull();
    time.advance(500);
    expect(await cache.set('b', 'v4', 4, 500)).toBe(true);
  });

  it('evicts the least recently used entry past maxEntries', async () => {
    const cache = new InProcessCache({ maxEntries: 2 });
    await cache.set('a', 'A', 1, 60_000);
    await cache.set('b', 'B', 1, 60_000);
    await cache.get('a');
    await cache.set('c', 'C', 1, 60_000);
    expect(await cache.get('b')).toBeNull();
    expect((await Promise.all(['a', 'c'].map((key) => cache.get(key)))).map((entry) => entry?.value)).toEqual(['A', 'C']);
    expect(cache.stats()).toMatchObject({ entries: 2, evictions: 1 });
  });

  it('bounds marks too, dropping the oldest first', async () => {
    const cache = new InProcessCache({ maxEntries: 2 });
    await cache.invalidate('a', 5);
    await cache.invalidate('b', 5);
    await cache.invalidate('c', 5);
    expect(await cache.set('a', 'v1', 1, 60_000)).toBe(true);
    expect(await cache.set('c', 'v1', 1, 60_000)).toBe(false);
    expect(cache.stats()).toMatchObject({ marks: 2 });
  });

  it('counts hits, misses, sets, refused sets and invalidations', async () => {
    const cache = new InProcessCache();
    await cache.get('a');
    await cache.set('a', 'v2', 2, 60_000);
    await cache.set('a', 'v1', 1, 60_000);
    await cache.get('a');
    await cache.invalidate('a', 3);
    expect(cache.stats()).toEqual({ hits: 1, misses: 1, sets: 1, refusedSets: 1, invalidations: 1, evictions: 0, entries: 0, marks: 1, scoped: 0, bumps: 0 });
  });

  it('reports its counters and sizes as metrics', async () => {
    const cache = new InProcessCache();
    await cache.set('a', 'v1', 1, 60_000);
    await cache.get('a');
    await cache.invalidate('b', 2);
    const byName = Object.fromEntries(cache.metrics().map((sample) => [sample.name, [sample.type, sample.value]]));
    expect(byName).toMatchObject({
      inprocess_cache_hits_total: ['counter', 1],
      inprocess_cache_sets_total: ['counter', 1],
      inprocess_cache_invalidations_total: ['counter', 1],
      inprocess_cache_entries: ['gauge', 1],
      inprocess_cache_marks: ['gauge', 1],
    });
  });

  it('answers nothing once closed', async () => {
    const cache = new InProcessCache();
    await cache.set('a', 'v1', 1, 60_000);
    await cache.close();
    await cache.invalidate('a', 2);
    expect(await cache.get('a')).toBeNull();
    expect(await cache.set('a', 'v3', 3, 60_000)).toBe(false);
    expect(cache.stats()).toMatchObject({ entries: 0, marks: 0 });
    await cache.bump('s');
    expect(await cache.getScoped('s', 'page')).toBeNull();
    expect(await cache.setScoped('s', 'page', 'v', 1, 60_000)).toBe(false);
  });

  it('gives a scope whose generation was evicted a generation above every earlier one', async () => {
    const cache = new InProcessCache({ maxEntries: 2 });
    const first = (await cache.getScoped('a', 'page'))!.generation;
    expect(await cache.setScoped('a', 'page', 'old', first, 60_000)).toBe(true);
    await cache.getScoped('b', 'page');
    await cache.getScoped('c', 'page'); // evicts the generation of a
    const again = (await cache.getScoped('a', 'page'))!;
    expect(again.generation).toBeGreaterThan(first);
    expect(again.value).toBeNull();
    await cache.bump('a');
    const byName = Object.fromEntries(cache.metrics().map((sample) => [sample.name, sample.value]));
    expect(byName).toMatchObject({ inprocess_cache_bumps_total: 1, inprocess_cache_scoped_entries: 1, inprocess_cache_refused_sets_total: 0 });
  });
});

cacheContract('disabled', async () => ({ cache: new DisabledCache(), close: async () => undefined }), { stores: false });

scopedCacheContract('in-process', async () => {
  const cache = new InProcessCache();
  return { caches: [cache, cache], close: () => cache.close() };
});
scopedCacheContract('disabled', async () => ({ caches: [new DisabledCache(), new DisabledCache()], close: async () => undefined }), { stores: false });
