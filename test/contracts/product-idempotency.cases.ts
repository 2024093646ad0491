import { describe, expect, it } from 'vitest';
import type { CreatedProduct } from '../../src/application/index.js';
import type { Result } from '../../src/domain/index.js';
import { aKey, aNewProduct } from '../support/mothers.js';
import { givenUser } from './given.js';
import type { RepoFixture } from './repo-fixture.js';

const DAY_MS = 24 * 60 * 60 * 1000;

const productOf = (result: Result<CreatedProduct, string>) => {
  if (!result.ok) throw new Error(`expected a product, got ${result.error}`);
  return result.value;
};

/** ProductRepo.create with an Idempotency-Key: replay, reuse, expiry, failures and races. */
export function productIdempotencyCases(repos: () => RepoFixture): void {
  describe('create with an idempotency key', () => {
    const countOf = async (userId: number) => (await repos().products.list({ user_id: userId, limit: 100 })).length;

    it('replays the first product for the same key and body, writing nothing', async () => {
      const userId = await givenUser(repos());
      const input = aNewProduct(userId);
      const key = { key: aKey(), fingerprint: 'body-1' };
      const first = productOf(await repos().products.create(input, { idempotency: key }));
      const again = productOf(await repos().products.create(input, { idempotency: key }));
      expect(first.replayed).toBe(false);
      expect(again).toEqual({ product: first.product, replayed: true });
      expect(await countOf(userId)).toBe(1);
    });

    it('replays the product as first created, even after it changed or went away', async () => {
      const userId = await givenUser(repos());
      const input = aNewProduct(userId);
      const key = { key: aKey(), fingerprint: 'body-1' };
      const first = productOf(await repos().products.create(input, { idempotency: key }));
      await repos().products.update(first.product.id, { product_name: 'Changed since' });
      expect(productOf(await repos().products.create(input, { idempotency: key })).product).toEqual(first.product);
      await repos().products.delete(first.product.id);
      expect(productOf(await repos().products.create(input, { idempotency: key }))).toEqual({ product: first.product, replayed: true });
      expect(await countOf(userId)).toBe(0);
    });

    it('refuses the same key with another body', async () => {
      const userId = await givenUser(repos());
      const key = aKey();
      productOf(await repos().products.create(aNewProduct(userId), { idempotency: { key, fingerprint: 'body-1' } }));
      const reused = await repos().products.create(aNewProduct(userId), { idempotency: { key, fingerprint: 'body-2' } });
      expect(reused).toEqual({ ok: false, error: 'idempotency.key_reused' });
      expect(await countOf(userId)).toBe(1);
    });

    it('treats different keys as different requests', async () => {
      const userId = await givenUser(repos());
      const input = aNewProduct(userId);
      const first = productOf(await repos().products.create(input, { idempotency: { key: aKey(), fingerprint: 'same' } }));
      const second = productOf(await repos().products.create(input, { idempotency: { key: aKey(), fingerprint: 'same' } }));
      expect(second.replayed).toBe(false);
      expect(second.product.id).not.toBe(first.product.id);
    });

    it('records nothing when the create fails', async () => {
      const userId = await givenUser(repos());
      const key = aKey();
      const failed = await repos().products.create(aNewProduct(987_654_321), { idempotency: { key, fingerprint: 'unknown-owner' } });
      expect(failed).toEqual({ ok: false, error: 'user.not_found' });
      const later = productOf(await repos().products.create(aNewProduct(userId), { idempotency: { key, fingerprint: 'another-body' } }));
      expect(later.replayed).toBe(false);
    });

    it('still replays a key just under 24 hours old', async () => {
      const userId = await givenUser(repos());
      const input = aNewProduct(userId);
      const key = { key: aKey(), fingerprint: 'body-1' };
      const first = productOf(await repos().products.create(input, { idempotency: key }));
      await repos().elapse(DAY_MS - 60_000);
      expect(productOf(await repos().products.create(input, { idempotency: key }))).toEqual({ product: first.product, replayed: true });
    });

    it('replaces a key older than 24 hours: a new product, then replays of that one', async () => {
      const userId = await givenUser(repos());
      const key = aKey();
      const first = productOf(await repos().products.create(aNewProduct(userId), { idempotency: { key, fingerprint: 'body-1' } }));
      await repos().elapse(DAY_MS + 1000);
      const fresh = productOf(await repos().products.create(aNewProduct(userId), { idempotency: { key, fingerprint: 'body-2' } }));
      expect(fresh.replayed).toBe(false);
      expect(fresh.product.id).not.toBe(first.product.id);
      const replay = productOf(await repos().products.create(aNewProduct(userId), { idempotency: { key, fingerprint: 'body-2' } }));
      expect(replay).toEqual({ product: fresh.product, replayed: true });
      expect(await countOf(userId)).toBe(2);
    });

    it('creates exactly one product when requests with one key race', async () => {
      const userId = await givenUser(repos());
      const input = aNewProduct(userId);
      const key = { key: aKey(), fingerprint: 'raced' };
      const results = (await Promise.all(Array.from({ length: 8 }, () => repos().products.create(input, { idempotency: key })))).map(productOf);
      expect(results.filter((result) => !result.replayed)).toHaveLength(1);
      expect(new Set(results.map((result) => result.product.id)).size).toBe(1);
      expect(await countOf(userId)).toBe(1);
    });
  });
}
