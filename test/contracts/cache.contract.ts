import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Cache } from '../../src/application/index.js';
import { eventually } from '../support/eventually.js';

/** What an adapter hands the contract: a cache, and how to release it after each test. */
export interface CacheFixture {
  readonly cache: Cache;
  close(): Promise<void>;
}

/** Builds a fixture whose marks live `tombstoneTtlMs`; called in each test, closed after it. */
export type MakeCache = (options: { tombstoneTtlMs: number }) => Promise<CacheFixture>;

const LONG_TTL = 60_000;
const aKey = () => `product:${randomUUID()}`;

/**
 * The Cache port's documented behaviour; every Cache adapter runs it. The rule it pins: a set is
 * stored when its version is at least the stored entry's and the mark's. Equal passes on purpose:
 * a writer marks the version it committed, and the next reader loads exactly that version and
 * must be able to cache it; only a reader that loaded before the write holds a lower one.
 */
export function cacheContract(name: string, makeCache: MakeCache, options: { stores?: boolean } = {}): void {
  const stores = options.stores ?? true;
  describe(`Cache contract: ${name}`, () => {
    const open: CacheFixture[] = [];
    const aCache = async (tombstoneTtlMs = LONG_TTL) => {
      const fixture = await makeCache({ tombstoneTtlMs });
      open.push(fixture);
      return fixture.cache;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((fixture) => fixture.close()));
    });

    it('misses a key never set', async () => {
      const cache = await aCache();
      expect(await cache.get(aKey())).toBeNull();
    });

    it('drops the entry on invalidate and never serves a version older than the mark', async () => {
      const cache = await aCache();
      const key = aKey();
      await cache.set(key, 'v1', 1, LONG_TTL);
      await cache.invalidate(key, 2);
      expect(await cache.get(key)).toBeNull();
      expect(await cache.set(key, 'v1', 1, LONG_TTL)).toBe(false);
      expect(await cache.get(key)).toBeNull();
    });

    if (!stores) {
      // A cache that declines every store still keeps the port: it never answers with a value.
      it('stores nothing: every set answers false and every get misses', async () => {
        const cache = await aCache();
        const key = aKey();
        expect(await cache.set(key, 'v1', 1, LONG_TTL)).toBe(false);
        await cache.invalidate(key, 2);
        expect(await cache.set(key, 'v3', 3, LONG_TTL)).toBe(false);
        expect(await cache.get(key)).toBeNull();
      });
    } else {
      it('returns what was set, with its version', async () => {
        const cache = await aCache();
        const key = aKey();
        expect(await cache.set(key, '{"name":"Lamp"}', 3, LONG_TTL)).toBe(true);
        expect(await cache.get(key)).toEqual({ value: '{"name":"Lamp"}', version: 3 });
      });

      it('replaces an entry with a newer version and accepts the same version again', async () => {
        const cache = await aCache();
        const key = aKey();
        await cache.set(key, 'v1', 1, LONG_TTL);
        expect(await cache.set(key, 'v2', 2, LONG_TTL)).toBe(true);
        expect(await cache.set(key, 'v2 again', 2, LONG_TTL)).toBe(true);
        expect(await cache.get(key)).toEqual({ value: 'v2 again', version: 2 });
      });

      it('refuses a set older than the stored entry', async () => {
        const cache = await aCache();
        const key = aKey();
        await cache.set(key, 'v5', 5, LONG_TTL);
        expect(await cache.set(key, 'v4', 4, LONG_TTL)).toBe(false);
        expect(await cache.get(key)).toEqual({ value: 'v5', version: 5 });
      });

      it('lets the next reader store the committed version after a mark, or a later one', async () => {
        const cache = await aCache();
        const [committed, later] = [aKey(), aKey()];
        await cache.invalidate(committed, 7);
        await cache.invalidate(later, 7);
        expect(await cache.set(committed, 'v7', 7, LONG_TTL)).toBe(true);
        expect(await cache.set(later, 'v8', 8, LONG_TTL)).toBe(true);
        expect(await cache.get(committed)).toEqual({ value: 'v7', version: 7 });
        expect(await cache.get(later)).toEqual({ value: 'v8', version: 8 });
      });

      it('marks a key that held nothing', async () => {
        const cache = await aCache();
        const key = aKey();
        await cache.invalidate(key, 3);
        expect(await cache.set(key, 'v2', 2, LONG_TTL)).toBe(false);
        expect(await cache.set(key, 'v3', 3, LONG_TTL)).toBe(true);
      });

      it('never lowers a mark: it stays at the highest version seen, entry included', async () => {
        const cache = await aCache();
        const [byMarks, byEntry] = [aKey(), aKey()];
        await cache.invalidate(byMarks, 5);
        await cache.invalidate(byMarks, 3);
        await cache.set(byEntry, 'v6', 6, LONG_TTL);
        await cache.invalidate(byEntry, 4);
        expect(await cache.get(byEntry)).toBeNull();
        expect(await cache.set(byMarks, 'v4', 4, LONG_TTL)).toBe(false);
        expect(await cache.set(byEntry, 'v5', 5, LONG_TTL)).toBe(false);
        expect(await cache.set(byEntry, 'v6', 6, LONG_TTL)).toBe(true);
      });

      it('expires an entry after its TTL', async () => {
        const cache = await aCache();
        const key = aKey();
        await cache.set(key, 'short', 1, 150);
        await eventually(async () => expect(await cache.get(key)).toBeNull());
        expect(await cache.get(key)).toBeNull();
      });

      it('keeps refusing older sets after a short-lived entry replaced the mark', async () => {
        const cache = await aCache();
        const key = aKey();
        await cache.invalidate(key, 5);
        expect(await cache.set(key, 'v5', 5, 150)).toBe(true);
        await eventually(async () => expect(await cache.get(key)).toBeNull());
        expect(await cache.set(key, 'v4', 4, LONG_TTL)).toBe(false);
      });

      it('forgets a mark after the tombstone TTL', async () => {
        const cache = await aCache(200);
        const key = aKey();
        await cache.invalidate(key, 5);
        expect(await cache.set(key, 'v4', 4, LONG_TTL)).toBe(false);
        await eventually(async () => expect(await cache.set(key, 'v4', 4, LONG_TTL)).toBe(true));
        expect(await cache.get(key)).toEqual({ value: 'v4', version: 4 });
      });

      it('keeps keys independent, including keys that extend one another', async () => {
        const cache = await aCache();
        const key = aKey();
        const [other, longer] = [aKey(), `${key}:images`];
        await Promise.all([cache.set(key, 'a', 1, LONG_TTL), cache.set(other, 'b', 1, LONG_TTL), cache.set(longer, 'c', 1, LONG_TTL)]);
        await cache.invalidate(key, 9);
        expect(await cache.get(key)).toBeNull();
        expect(await cache.get(other)).toEqual({ value: 'b', version: 1 });
        expect(await cache.get(longer)).toEqual({ value: 'c', version: 1 });
        expect(await cache.set(other, 'b2', 2, LONG_TTL)).toBe(true);
      });

      it('round-trips large and awkward values exactly', async () => {
        const cache = await aCache();
        const values = ['', '1:2:3', 'line\nbreak\r\n\0', 'ünïcödé ✓ 🚀', JSON.stringify({ text: 'x'.repeat(1024 * 1024) })];
        const keys = values.map(() => aKey());
        await Promise.all(keys.map((key, i) => cache.set(key, values[i]!, i, LONG_TTL)));
        const stored = await Promise.all(keys.map((key) => cache.get(key)));
        expect(stored.map((entry) => entry?.value)).toEqual(values);
        expect(stored.map((entry) => entry?.version)).toEqual([0, 1, 2, 3, 4]);
      });

      it('ends with the highest version when sets of different versions race', async () => {
        const cache = await aCache();
        const key = aKey();
        const versions = [7, 3, 19, 12, 1, 18, 5, 16, 9, 14, 2, 11, 20, 4, 8, 17, 6, 13, 10, 15];
        const results = await Promise.all(versions.map((version) => cache.set(key, `v${version}`, version, LONG_TTL)));
        expect(results[versions.indexOf(20)]).toBe(true);
        expect(await cache.get(key)).toEqual({ value: 'v20', version: 20 });
      });

      it('orders versions up to Number.MAX_SAFE_INTEGER exactly (a deleted row marks the highest)', async () => {
        const cache = await aCache();
        const key = aKey();
        const top = Number.MAX_SAFE_INTEGER;
        await cache.set(key, 'v', top - 2, LONG_TTL);
        await cache.invalidate(key, top);
        expect(await cache.set(key, 'v', top - 1, LONG_TTL)).toBe(false);
        expect(await cache.set(key, 'deleted', top, LONG_TTL)).toBe(true);
        expect(await cache.get(key)).toEqual({ value: 'deleted', version: top });
      });
    }

    it('rejects a version that is not an integer and a TTL that is not positive', async () => {
      const cache = await aCache();
      const key = aKey();
      await expect(cache.set(key, 'x', 1.5, LONG_TTL)).rejects.toThrow(RangeError);
      await expect(cache.set(key, 'x', 1, 0)).rejects.toThrow(RangeError);
      await expect(cache.invalidate(key, Number.NaN)).rejects.toThrow(RangeError);
      expect(await cache.get(key)).toBeNull();
    });
  });
}
