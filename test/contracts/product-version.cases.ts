import { describe, expect, it } from 'vitest';
import { LIMITS, type Product } from '../../src/domain/index.js';
import { aKey, aNewProduct, anImageResult } from '../support/mothers.js';
import { givenProduct, givenUser } from './given.js';
import type { RepoFixture } from './repo-fixture.js';

/**
 * Product.version: 1 when created, one more for every change a reader can see, nothing for a
 * call that changed nothing. Caches and ETags rely on it.
 */
export function productVersionCases(repos: () => RepoFixture): void {
  const givenImages = async (urls: string[]): Promise<Product> => givenProduct(repos(), await givenUser(repos()), { product_images: urls });
  const versionOf = async (product: Product): Promise<number | undefined> => (await repos().products.findById(product.id))?.version;

  describe('version', () => {
    it('starts at 1, as created, found and listed', async () => {
      const userId = await givenUser(repos());
      const product = await givenProduct(repos(), userId);
      expect(product.version).toBe(1);
      expect(await versionOf(product)).toBe(1);
      expect((await repos().products.list({ user_id: userId, limit: 10 })).map((listed) => listed.version)).toEqual([1]);
    });

    it('goes up by one with each update, whatever it changes', async () => {
      const product = await givenImages(['https://i.example/a.jpg', 'https://i.example/b.jpg']);
      const versions = [];
      for (const changes of [
        { product_name: 'Renamed' },
        { product_price: 5 },
        {},
        { product_images: ['https://i.example/b.jpg', 'https://i.example/a.jpg'] },
        { product_images: ['https://i.example/c.jpg'] },
      ]) {
        versions.push((await repos().products.update(product.id, changes))?.version);
      }
      expect(versions).toEqual([2, 3, 4, 5, 6]);
      expect(await versionOf(product)).toBe(6);
    });

    it('goes up by one with an added image, and not for a refused one', async () => {
      const product = await givenImages(Array.from({ length: LIMITS.imagesMax - 1 }, (_, i) => `https://i.example/${i}.jpg`));
      const added = await repos().products.addImage(product.id, { source_url: 'https://u.example/last.png', source_key: `uploads/${aKey()}` });
      expect(added.ok && added.value.product.version).toBe(2);
      const refused = await repos().products.addImage(product.id, { source_url: 'https://u.example/more.png', source_key: `uploads/${aKey()}` });
      expect(refused).toEqual({ ok: false, error: 'product.too_many_images' });
      expect(await versionOf(product)).toBe(2);
    });

    it('goes up by one with each start, failure and completion, and returns the new version', async () => {
      const product = await givenImages(['https://i.example/a.jpg']);
      const image = product.images[0]!;
      expect((await repos().jobs.start(image.id, 1))?.product_version).toBe(2);
      expect(await repos().jobs.fail(image.id, 1, 'image.timeout: slow', false)).toBe(3);
      expect((await repos().jobs.start(image.id, 1))?.product_version).toBe(4);
      expect(await repos().jobs.complete(image.id, 1, anImageResult())).toBe(5);
      expect(await versionOf(product)).toBe(5);
    });

    it('stays for a second completion, a start of a done image and calls for another image version', async () => {
      const product = await givenImages(['https://i.example/a.jpg']);
      const image = product.images[0]!;
      const result = anImageResult();
      expect(await repos().jobs.start(image.id, 2)).toBeNull();
      expect(await repos().jobs.fail(image.id, 2, 'stale', true)).toBeNull();
      expect(await repos().jobs.complete(image.id, 2, result)).toBeNull();
      expect(await versionOf(product)).toBe(1);
      expect(await repos().jobs.complete(image.id, 1, result)).toBe(2);
      expect(await repos().jobs.complete(image.id, 1, result)).toBeNull();
      expect(await repos().jobs.start(image.id, 1)).toBeNull();
      expect(await repos().jobs.fail(image.id, 1, 'late', true)).toBeNull();
      expect(await versionOf(product)).toBe(2);
    });

    it('stays when a failure is recorded for an image that was replaced', async () => {
      const product = await givenImages(['https://i.example/a.jpg']);
      const image = product.images[0]!;
      await repos().jobs.start(image.id, 1);
      expect((await repos().products.update(product.id, { product_images: ['https://i.example/b.jpg'] }))?.version).toBe(3);
      expect(await repos().jobs.fail(image.id, 1, 'image.timeout: slow', false)).toBeNull();
      expect(await repos().jobs.complete(image.id, 1, anImageResult())).toBeNull();
      expect(await versionOf(product)).toBe(3);
    });

    it('goes up by one per product whose images are requeued, however many there are', async () => {
      const busy = await givenImages(['https://i.example/a.jpg', 'https://i.example/b.jpg', 'https://i.example/c.jpg']);
      const finished = await givenImages(['https://i.example/d.jpg', 'https://i.example/e.jpg']);
      const [a, b] = busy.images;
      const [d, e] = finished.images;
      await repos().jobs.start(a!.id, 1);
      await repos().jobs.complete(b!.id, 1, anImageResult());
      await repos().jobs.complete(d!.id, 1, anImageResult());
      await repos().jobs.fail(e!.id, 1, 'image.not_found: HTTP 404', true);
      expect([await versionOf(busy), await versionOf(finished)]).toEqual([3, 3]);
      // Other tests' unfinished images share the store, so the count is at least this product's two.
      expect(await repos().jobs.requeueUnfinished()).toBeGreaterThanOrEqual(2);
      expect([await versionOf(busy), await versionOf(finished)]).toEqual([4, 3]);
    });

    it('is replayed as recorded: the snapshot keeps the version it was created with', async () => {
      const input = aNewProduct(await givenUser(repos()));
      const idempotency = { key: aKey(), fingerprint: 'body' };
      const created = await repos().products.create(input, { idempotency });
      if (!created.ok) throw new Error(created.error);
      expect((await repos().products.update(created.value.product.id, { product_name: 'Later' }))?.version).toBe(2);
      const replayed = await repos().products.create(input, { idempotency });
      expect(replayed).toMatchObject({ ok: true, value: { replayed: true, product: { id: created.value.product.id, version: 1 } } });
    });
  });
}
