import { describe, expect, it } from 'vitest';
import { LIMITS, type Product } from '../../src/domain/index.js';
import { aKey, aNewProduct, anImageResult } from '../support/mothers.js';
import { givenProduct, givenUser, processTaskOf, queuedBy, sortedTasks, tick } from './given.js';
import type { RepoFixture } from './repo-fixture.js';

/** The product writes and the pipeline tasks each queues in its own transaction. */
export function productOutboxCases(repos: () => RepoFixture): void {
  /** Marks the image at `position` done with a result stored under `key`. */
  async function givenDone(product: Product, position: number, key: string): Promise<void> {
    const image = product.images[position]!;
    await repos().jobs.start(image.id, 1);
    expect(await repos().jobs.complete(image.id, 1, anImageResult({ key }))).toEqual(expect.any(Number));
  }

  /** Adds an upload stored under `sourceKey`; returns the product after it. */
  async function givenUpload(product: Product, sourceKey: string, url = `https://uploads.example/${sourceKey}`): Promise<Product> {
    const added = await repos().products.addImage(product.id, { source_url: url, source_key: sourceKey });
    if (!added.ok) throw new Error(added.error);
    return added.value.product;
  }

  describe('create queues image.process', () => {
    it('one message per image, in position order, carrying the request id', async () => {
      const userId = await givenUser(repos());
      let product!: Product;
      const messages = await queuedBy(repos(), async () => {
        const created = await repos().products.create(aNewProduct(userId, { product_images: ['https://a.example/1.jpg', 'https://a.example/2.jpg'] }), {
          requestId: 'req-create',
        });
        if (!created.ok) throw new Error(created.error);
        product = created.value.product;
      });
      expect(messages.map((message) => message.task)).toEqual(product.images.map((image) => processTaskOf(product, image.id)));
      expect(messages.map((message) => message.request_id)).toEqual(['req-create', 'req-create']);
      expect(new Set(messages.map((message) => message.id)).size).toBe(2);
    });

    it('without a request id, messages carry none', async () => {
      const userId = await givenUser(repos());
      const messages = await queuedBy(repos(), () => givenProduct(repos(), userId, { product_images: ['https://a.example/solo.jpg'] }));
      expect(messages).toHaveLength(1);
      expect(messages[0]!.request_id).toBeUndefined();
    });

    it('nothing for a product without images, a replay, a reused key or an unknown owner', async () => {
      const userId = await givenUser(repos());
      const input = aNewProduct(userId);
      const idempotency = { key: aKey(), fingerprint: 'body' };
      expect((await repos().products.create(input, { idempotency })).ok).toBe(true);
      const messages = await queuedBy(repos(), async () => {
        await givenProduct(repos(), userId, { product_images: [] });
        expect(await repos().products.create(input, { idempotency, requestId: 'replay' })).toMatchObject({ ok: true, value: { replayed: true } });
        expect(await repos().products.create(input, { idempotency: { ...idempotency, fingerprint: 'other' } })).toMatchObject({ ok: false });
        expect(await repos().products.create(aNewProduct(987_654_321))).toMatchObject({ ok: false, error: 'user.not_found' });
      });
      expect(messages).toEqual([]);
    });
  });

  describe('update queues tasks for the images it adds and drops', () => {
    it('image.process for new URLs, nothing for kept ones, object.delete once per dropped key', async () => {
      const [a, b, c, d] = ['https://i.example/a.jpg', 'https://i.example/b.jpg', 'https://i.example/c.jpg', 'https://i.example/d.jpg'];
      const before = await givenProduct(repos(), await givenUser(repos()), { product_images: [a!, b!, c!] });
      const shared = `images/${aKey()}.webp`;
      // a and b compressed to the same bytes, so they share one content-addressed key.
      await givenDone(before, 0, shared);
      await givenDone(before, 1, shared);
      const upload = `uploads/${aKey()}`;
      await givenUpload(before, upload);
      let after!: Product | null;
      const messages = await queuedBy(repos(), async () => {
        after = await repos().products.update(before.id, { product_images: [c!, d!] }, { requestId: 'req-update' });
      });
      const added = after!.images.find((image) => image.source_url === d)!;
      expect(sortedTasks(messages)).toEqual(
        sortedTasks([
          { id: '', task: processTaskOf(before, added.id) },
          { id: '', task: { type: 'object.delete', key: shared } },
          { id: '', task: { type: 'object.delete', key: upload } },
        ]),
      );
      expect(new Set(messages.map((message) => message.request_id))).toEqual(new Set(['req-update']));
    });

    it('nothing when the images stay, only move, or are not given; nothing for an unknown product', async () => {
      const before = await givenProduct(repos(), await givenUser(repos()));
      const messages = await queuedBy(repos(), async () => {
        await repos().products.update(before.id, { product_name: 'Renamed' });
        await repos().products.update(before.id, { product_images: [...before.product_images] });
        await repos().products.update(before.id, { product_images: [...before.product_images].reverse() });
        expect(await repos().products.update(987_654_321, { product_images: ['https://i.example/x.jpg'] })).toBeNull();
      });
      expect(messages).toEqual([]);
    });

    it('no object.delete for dropped images that stored nothing yet', async () => {
      const before = await givenProduct(repos(), await givenUser(repos()));
      expect(await queuedBy(repos(), () => repos().products.update(before.id, { product_images: [] }))).toEqual([]);
    });
  });

  describe('delete queues object.delete', () => {
    it('once per stored object of its images, carrying the request id', async () => {
      const before = await givenProduct(repos(), await givenUser(repos()), {
        product_images: ['https://i.example/1.jpg', 'https://i.example/2.jpg', 'https://i.example/3.jpg'],
      });
      const shared = `images/${aKey()}.webp`;
      await givenDone(before, 0, shared);
      await givenDone(before, 1, shared);
      const upload = `uploads/${aKey()}`;
      await givenUpload(before, upload);
      const messages = await queuedBy(repos(), async () => expect(await repos().products.delete(before.id, { requestId: 'req-delete' })).toBe(true));
      expect(sortedTasks(messages)).toEqual(
        sortedTasks([
          { id: '', task: { type: 'object.delete', key: shared } },
          { id: '', task: { type: 'object.delete', key: upload } },
        ]),
      );
      expect(messages.map((message) => message.request_id)).toEqual(['req-delete', 'req-delete']);
    });

    it('nothing for a product whose images stored nothing, or one that does not exist', async () => {
      const product = await givenProduct(repos(), await givenUser(repos()));
      const messages = await queuedBy(repos(), async () => {
        expect(await repos().products.delete(product.id)).toBe(true);
        expect(await repos().products.delete(product.id)).toBe(false);
      });
      expect(messages).toEqual([]);
    });
  });

  describe('addImage', () => {
    it('appends a pending image at the end, bumps updated_at and queues its image.process', async () => {
      const before = await givenProduct(repos(), await givenUser(repos()));
      await tick();
      let result!: Awaited<ReturnType<RepoFixture['products']['addImage']>>;
      const messages = await queuedBy(repos(), async () => {
        result = await repos().products.addImage(before.id, { source_url: 'https://uploads.example/new.png', source_key: 'uploads/new' }, { requestId: 'req-upload' });
      });
      if (!result.ok) throw new Error(result.error);
      const { product, image } = result.value;
      expect(image).toMatchObject({ position: 2, source_url: 'https://uploads.example/new.png', status: 'pending', attempts: 0, compressed_url: null });
      expect(product.images).toEqual([...before.images, image]);
      expect(product.product_images).toEqual([...before.product_images, 'https://uploads.example/new.png']);
      expect(product.updated_at.getTime()).toBeGreaterThan(before.updated_at.getTime());
      expect(await repos().products.findById(before.id)).toEqual(product);
      expect(messages).toEqual([{ id: expect.any(String), task: processTaskOf(before, image.id), request_id: 'req-upload' }]);
      expect(await repos().jobs.start(image.id, 1)).toMatchObject({ source_key: 'uploads/new' });
    });

    it(`refuses the image after ${LIMITS.imagesMax} and writes nothing`, async () => {
      const urls = Array.from({ length: LIMITS.imagesMax }, (_, i) => `https://i.example/${i}.jpg`);
      const before = await givenProduct(repos(), await givenUser(repos()), { product_images: urls });
      const messages = await queuedBy(repos(), async () => {
        expect(await repos().products.addImage(before.id, { source_url: 'https://u.example/x.png', source_key: 'uploads/x' })).toEqual({
          ok: false,
          error: 'product.too_many_images',
        });
      });
      expect(messages).toEqual([]);
      expect(await repos().products.findById(before.id)).toEqual(before);
    });

    it('admits exactly the images that fit when uploads race', async () => {
      const before = await givenProduct(repos(), await givenUser(repos()), { product_images: ['https://i.example/first.jpg'] });
      const results = await Promise.all(
        Array.from({ length: LIMITS.imagesMax + 2 }, (_, i) =>
          repos().products.addImage(before.id, { source_url: `https://u.example/${i}.png`, source_key: `uploads/${i}` }),
        ),
      );
      expect(results.filter((result) => result.ok)).toHaveLength(LIMITS.imagesMax - 1);
      expect(results.filter((result) => !result.ok)).toEqual(Array(3).fill({ ok: false, error: 'product.too_many_images' }));
      const after = await repos().products.findById(before.id);
      expect(after?.images.map((image) => image.position)).toEqual(Array.from({ length: LIMITS.imagesMax }, (_, i) => i));
    });

    it('reports a product that does not exist', async () => {
      const messages = await queuedBy(repos(), async () => {
        expect(await repos().products.addImage(987_654_321, { source_url: 'https://u.example/x.png', source_key: 'uploads/x' })).toEqual({
          ok: false,
          error: 'product.not_found',
        });
      });
      expect(messages).toEqual([]);
    });
  });
}
