import { describe, expect, it } from 'vitest';
import type { BulkOutcome } from '../../src/application/index.js';
import { aKey, aNewProduct } from '../support/mothers.js';
import { drain, givenUser } from './given.js';
import type { RepoFixture } from './repo-fixture.js';

const states = (outcomes: BulkOutcome[]) => outcomes.map((outcome) => (outcome.ok ? (outcome.value.replayed ? 'replayed' : 'created') : outcome.error));

/** ProductRepo.createMany: one transaction, set-based, per-item outcomes, keys, atomic. */
export function productBulkCases(repos: () => RepoFixture): void {
  describe('createMany', () => {
    it('creates every item in order with its pending images and one outbox task per image', async () => {
      const userId = await givenUser(repos());
      await drain(repos().outbox);
      const items = [
        aNewProduct(userId, { product_name: 'First', product_images: ['https://a.example/1.jpg', 'https://a.example/2.jpg'] }),
        aNewProduct(userId, { product_name: 'Second', product_images: [] }),
        aNewProduct(userId, { product_name: 'Third', product_images: ['https://a.example/3.jpg'] }),
      ];
      const outcomes = await repos().products.createMany(items.map((product) => ({ product })), { requestId: 'bulk-1' });
      expect(states(outcomes)).toEqual(['created', 'created', 'created']);
      const created = outcomes.map((outcome) => (outcome.ok ? outcome.value.product : null));
      expect(created.map((product) => product?.product_name)).toEqual(['First', 'Second', 'Third']);
      expect(created[0]!.id).toBeLessThan(created[1]!.id);
      expect(created[0]!.images.map((image) => [image.position, image.source_url, image.status])).toEqual([
        [0, 'https://a.example/1.jpg', 'pending'],
        [1, 'https://a.example/2.jpg', 'pending'],
      ]);
      expect(await repos().products.findById(created[2]!.id)).toEqual(created[2]);
      const messages = await drain(repos().outbox);
      expect(messages.map((message) => [message.task.type, message.request_id])).toEqual([
        ['image.process', 'bulk-1'],
        ['image.process', 'bulk-1'],
        ['event.publish', 'bulk-1'],
        ['event.publish', 'bulk-1'],
        ['image.process', 'bulk-1'],
        ['event.publish', 'bulk-1'],
      ]);
      expect(await repos().products.createMany([])).toEqual([]);
    });

    it('matches every stored row to its own item, with other bulk creates running at once', async () => {
      const userId = await givenUser(repos());
      const batch = (name: string) =>
        Array.from({ length: 60 }, (_, i) => ({ product: aNewProduct(userId, { product_name: `${name} ${i}`, product_price: i + 0.5 }), idempotency: { key: `${aKey()}#${i}`, fingerprint: `${name}${i}` } }));
      const batches = [batch('Left'), batch('Right'), batch('Middle')];
      const results = await Promise.all(batches.map((items) => repos().products.createMany(items)));
      for (const [b, outcomes] of results.entries()) {
        for (const [i, outcome] of outcomes.entries()) {
          const product = outcome.ok ? outcome.value.product : null;
          expect(product).toMatchObject({ product_name: batches[b]![i]!.product.product_name, product_price: i + 0.5 });
          expect(await repos().products.findById(product!.id)).toEqual(product);
        }
      }
      // The recorded responses are the rows of the same items: a replay answers each with its own.
      const replayed = await repos().products.createMany(batches[1]!);
      expect(replayed.map((outcome) => (outcome.ok ? outcome.value.product.product_name : outcome.error))).toEqual(batches[1]!.map((item) => item.product.product_name));
      expect(replayed.every((outcome) => outcome.ok && outcome.value.replayed)).toBe(true);
    });

    it('fails an item of an unknown user alone, or, atomic, writes nothing', async () => {
      const userId = await givenUser(repos());
      const items = [{ product: aNewProduct(userId) }, { product: aNewProduct(999_999_999) }, { product: aNewProduct(userId) }];
      expect(states(await repos().products.createMany(items))).toEqual(['created', 'user.not_found', 'created']);
      expect(states(await repos().products.createMany(items, { atomic: true }))).toEqual(['bulk.not_created', 'user.not_found', 'bulk.not_created']);
      expect(await repos().products.list({ user_id: userId, limit: 10 })).toHaveLength(2);
    });

    it('replays keyed items created before and refuses a key used with another product', async () => {
      const userId = await givenUser(repos());
      const key = aKey();
      const items = [0, 1, 2].map((i) => ({ product: aNewProduct(userId, { product_name: `Item ${i}` }), idempotency: { key: `${key}#${i}`, fingerprint: `f${i}` } }));
      const first = await repos().products.createMany(items.slice(0, 2));
      expect(states(first)).toEqual(['created', 'created']);
      const resumed = await repos().products.createMany(items);
      expect(states(resumed)).toEqual(['replayed', 'replayed', 'created']);
      expect(resumed[0]).toMatchObject({ ok: true, value: { product: first[0]!.ok ? first[0]!.value.product : null } });
      const reused = await repos().products.createMany([{ product: items[0]!.product, idempotency: { key: `${key}#0`, fingerprint: 'other' } }]);
      expect(states(reused)).toEqual(['idempotency.key_reused']);
      expect(states(await repos().products.createMany([items[0]!, { product: aNewProduct(userId), idempotency: { key: `${key}#0`, fingerprint: 'other' } }], { atomic: true }))).toEqual([
        'bulk.not_created',
        'idempotency.key_reused',
      ]);
      expect(await repos().products.list({ user_id: userId, limit: 10 })).toHaveLength(3);
    });
  });
}
