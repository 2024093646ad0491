import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScopedCache } from '../../src/application/index.js';
import { eventually } from '../support/eventually.js';

/** What an adapter hands the contract: one or two handles on one shared cache, and how to release them. */
export interface ScopedCacheFixture {
  /** Two instances sharing the store (for the in-process cache, the same object twice). */
  readonly caches: readonly [ScopedCache, ScopedCache];
  close(): Promise<void>;
}

const TTL = 60_000;
const aScope = () => `products-of:${randomUUID()}`;

/**
 * The ScopedCache port's documented behaviour; every adapter runs it. The rule it pins: an entry
 * is served only at the generation it was stored at, a store succeeds only at the current
 * generation, and bump() moves every reader to a new one.
 */
export function scopedCacheContract(name: string, makeCache: () => Promise<ScopedCacheFixture>, options: { stores?: boolean } = {}): void {
  const stores = options.stores ?? true;
  describe(`ScopedCache contract: ${name}`, () => {
    const open: ScopedCacheFixture[] = [];
    const caches = async () => {
      const fixture = await makeCache();
      open.push(fixture);
      return fixture.caches;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((fixture) => fixture.close()));
    });

    it('rejects a generation that is not an integer and a TTL that is not positive', async () => {
      const [cache] = await caches();
      await expect(cache.setScoped(aScope(), 'k', 'v', 1.5, TTL)).rejects.toThrow(RangeError);
      await expect(cache.setScoped(aScope(), 'k', 'v', 1, 0)).rejects.toThrow(RangeError);
    });

    if (!stores) {
      it('cannot answer, stores nothing, and takes bumps', async () => {
        const [cache] = await caches();
        const scope = aScope();
        expect(await cache.getScoped(scope, 'page')).toBeNull();
        expect(await cache.setScoped(scope, 'page', 'v', 1, TTL)).toBe(false);
        await cache.bump(scope);
        expect(await cache.getScoped(scope, 'page')).toBeNull();
      });
      return;
    }

    it('answers a generation and no value for a key never stored', async () => {
      const [cache] = await caches();
      const read = await cache.getScoped(aScope(), 'page');
      expect(read).toEqual({ generation: expect.any(Number), value: null });
      expect(Number.isSafeInteger(read!.generation)).toBe(true);
    });

    it('serves what was stored at the current generation, on every instance', async () => {
      const [one, other] = await caches();
      const scope = aScope();
      const { generation } = (await one.getScoped(scope, 'page'))!;
      expect(await one.setScoped(scope, 'page', '[{"id":1}]', generation, TTL)).toBe(true);
      expect(await other.getScoped(scope, 'page')).toEqual({ generation, value: '[{"id":1}]' });
      expect(await other.getScoped(scope, 'other page')).toEqual({ generation, value: null });
    });

    it('after a bump on one instance, no instance serves an earlier entry and none can store at the old generation', async () => {
      const [one, other] = await caches();
      const scope = aScope();
      const before = (await one.getScoped(scope, 'page'))!.generation;
      await one.setScoped(scope, 'page', 'old', before, TTL);
      // A reader loaded before the change and stores after it: refused.
      const slow = (await other.getScoped(scope, 'slow page'))!.generation;
      await other.bump(scope);
      const after = (await one.getScoped(scope, 'page'))!;
      expect(after.value).toBeNull();
      expect(after.generation).toBeGreaterThan(before);
      expect(await one.setScoped(scope, 'slow page', 'old', slow, TTL)).toBe(false);
      expect(await other.getScoped(scope, 'slow page')).toEqual({ generation: after.generation, value: null });
      expect(await other.setScoped(scope, 'page', 'new', after.generation, TTL)).toBe(true);
      expect(await one.getScoped(scope, 'page')).toEqual({ generation: after.generation, value: 'new' });
    });

    it('keeps scopes independent', async () => {
      const [cache] = await caches();
      const [scope, other] = [aScope(), aScope()];
      const [a, b] = [(await cache.getScoped(scope, 'page'))!, (await cache.getScoped(other, 'page'))!];
      await cache.setScoped(scope, 'page', 'a', a.generation, TTL);
      await cache.setScoped(other, 'page', 'b', b.generation, TTL);
      await cache.bump(scope);
      expect((await cache.getScoped(scope, 'page'))!.value).toBeNull();
      expect(await cache.getScoped(other, 'page')).toEqual({ generation: b.generation, value: 'b' });
    });

    it('gives every bump a higher generation, also when bumps race', async () => {
      const [one, other] = await caches();
      const scope = aScope();
      const seen = [(await one.getScoped(scope, 'page'))!.generation];
      for (let i = 0; i < 3; i++) {
        await Promise.all([one.bump(scope), other.bump(scope)]);
        seen.push((await other.getScoped(scope, 'page'))!.generation);
      }
      expect([...seen].sort((x, y) => x - y)).toEqual(seen);
      expect(new Set(seen).size).toBe(seen.length);
    });

    it('expires an entry after its TTL', async () => {
      const [cache] = await caches();
      const scope = aScope();
      const { generation } = (await cache.getScoped(scope, 'page'))!;
      expect(await cache.setScoped(scope, 'page', 'short', generation, 150)).toBe(true);
      await eventually(async () => expect((await cache.getScoped(scope, 'page'))!.value).toBeNull());
      expect((await cache.getScoped(scope, 'page'))!.generation).toBe(generation);
    });

    it('round-trips large and awkward values and keys exactly', async () => {
      const [cache] = await caches();
      const scope = aScope();
      const values = ['', '1:2:3', 'line\nbreak\r\n\0', 'ünïcödé ✓ 🚀', 'x'.repeat(1024 * 1024)];
      const keys = ['a', 'b:{c}', 'limit=20&product_name=%7B', 'ü', ''];
      const { generation } = (await cache.getScoped(scope, 'x'))!;
      await Promise.all(keys.map((key, i) => cache.setScoped(scope, key, values[i]!, generation, TTL)));
      const read = await Promise.all(keys.map((key) => cache.getScoped(scope, key)));
      expect(read.map((entry) => entry?.value)).toEqual(values);
    });
  });
}
