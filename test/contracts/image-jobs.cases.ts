import { describe, expect, it } from 'vitest';
import type { Product } from '../../src/domain/index.js';
import { drain, givenProduct, givenUser, processTaskOf, tick, withoutEvents } from './given.js';
import type { RepoFixture } from './repo-fixture.js';
import { aKey, anImageResult } from '../support/mothers.js';

/** The ImageJobs and ImageRecovery ports over the same store as the products: start, complete, fail, requeueing. */
export function imageJobCases(repos: () => RepoFixture): void {
  const givenImages = async (urls: string[]): Promise<Product> => givenProduct(repos(), await givenUser(repos()), { product_images: urls });
  const reload = async (product: Product): Promise<Product> => (await repos().products.findById(product.id))!;

  describe('reuse', () => {
    const digest = () => `digest-${aKey()}`;

    it('finishes the image with the renditions of a done image of the same digest, marked reused', async () => {
      const product = await givenImages(['https://i.example/a.jpg', 'https://i.example/b.jpg']);
      const [donor, taker] = product.images as [Product['images'][number], Product['images'][number]];
      const same = digest();
      expect(await repos().jobs.reuse(taker.id, 1, same)).toEqual({ type: 'none' });
      const small = { key: `images/${aKey()}.webp`, url: 'https://cdn.example/small.webp', width: 320, height: 240, format: 'webp', bytes: 10 };
      const result = anImageResult({ source_digest: same });
      await repos().jobs.complete(donor.id, 1, { ...result, renditions: [small, ...result.renditions] });
      expect(await repos().jobs.reuse(taker.id, 2, same)).toEqual({ type: 'moot' });
      expect(await repos().jobs.reuse(taker.id, 1, digest())).toEqual({ type: 'none' });
      // The donor itself never reuses its own renditions.
      const before = await reload(product);
      expect(await repos().jobs.reuse(taker.id, 1, same)).toEqual({ type: 'reused', product_version: before.version + 1 });
      const after = await reload(product);
      const { id: _d, source_url: _ds, position: _dp, reused: donorReused, ...donated } = after.images[0]!;
      const { id: _t, source_url: _ts, position: _tp, reused, ...taken } = after.images[1]!;
      expect([donorReused, reused]).toEqual([false, true]);
      expect(taken).toEqual(donated);
      expect(after.compressed_product_images).toEqual([result.url, result.url]);
      // A done image is never reused onto again.
      expect(await repos().jobs.reuse(taker.id, 1, same)).toEqual({ type: 'moot' });
      // The taker references every object now: deleting the donor's product row leaves them referenced.
      await repos().products.update(product.id, { product_images: [taker.source_url] });
      expect(await repos().references.beginDeletion(small.key, 60_000)).toBeNull();
      expect(await repos().references.beginDeletion(result.key, 60_000)).toBeNull();
    });
  });

  describe('reuse while a deletion runs', () => {
    it('refuses while a lease begun before the donor committed is live on one of its keys', async () => {
      const product = await givenImages(['https://i.example/a.jpg', 'https://i.example/b.jpg']);
      const [donor, taker] = product.images as [Product['images'][number], Product['images'][number]];
      const same = `digest-${aKey()}`;
      const result = anImageResult({ source_digest: same });
      // The deletion began while nothing referenced the key; the donor's worker will restore the object after it.
      const token = await repos().references.beginDeletion(result.key, 60_000);
      expect(token).toEqual(expect.any(String));
      await repos().jobs.complete(donor.id, 1, result);
      expect(await repos().jobs.reuse(taker.id, 1, same)).toEqual({ type: 'none' });
      await repos().references.endDeletion(result.key, token!);
      expect(await repos().jobs.reuse(taker.id, 1, same)).toMatchObject({ type: 'reused' });
    });
  });

  describe('start', () => {
    it('marks the image processing, counts the attempt and returns the work', async () => {
      const product = await givenImages(['https://i.example/a.jpg']);
      const image = product.images[0]!;
      expect(await repos().jobs.start(image.id, 1)).toEqual({
        image_id: image.id,
        product_id: product.id,
        user_id: product.user_id,
        version: 1,
        source_url: 'https://i.example/a.jpg',
        source_key: null,
        attempts: 1,
        product_version: 2,
      });
      expect(await reload(product)).toMatchObject({ version: 2, updated_at: product.updated_at });
      expect((await reload(product)).images[0]).toMatchObject({ status: 'processing', attempts: 1 });
      expect(await repos().jobs.start(image.id, 1)).toMatchObject({ attempts: 2, product_version: 3 });
    });

    it('returns null for another version, a done image, a dropped image and an unknown id', async () => {
      const product = await givenImages(['https://i.example/a.jpg', 'https://i.example/b.jpg']);
      const [done, dropped] = product.images;
      expect(await repos().jobs.start(done!.id, 2)).toBeNull();
      expect(await repos().jobs.complete(done!.id, 1, anImageResult())).toBe(2);
      expect(await repos().jobs.start(done!.id, 1)).toBeNull();
      await repos().products.update(product.id, { product_images: [done!.source_url] });
      expect(await repos().jobs.start(dropped!.id, 1)).toBeNull();
      expect(await repos().jobs.start(987_654_321, 1)).toBeNull();
      expect((await reload(product)).images).toEqual([expect.objectContaining({ id: done!.id, status: 'done', attempts: 0 })]);
    });

    it('returns null once the product is deleted', async () => {
      const product = await givenImages(['https://i.example/a.jpg']);
      await repos().products.delete(product.id);
      expect(await repos().jobs.start(product.images[0]!.id, 1)).toBeNull();
    });
  });

  describe('complete', () => {
    it('stores the result, lists the compressed URL and bumps updated_at', async () => {
      const product = await givenImages(['https://i.example/a.jpg']);
      const image = product.images[0]!;
      await repos().jobs.start(image.id, 1);
      await repos().jobs.fail(image.id, 1, 'image.timeout: slow', false);
      await tick();
      const largest = anImageResult({ width: 800, height: 600, bytes: 4321, format: 'avif' });
      const small = { key: `images/small-${largest.key}`, url: `${largest.url}?small`, width: 400, height: 300, format: 'avif', bytes: 1234 };
      const result = { ...largest, renditions: [...largest.renditions, small] };
      expect(await repos().jobs.complete(image.id, 1, result)).toBe(4);
      const after = await reload(product);
      expect(after.images[0]).toEqual({
        ...image,
        status: 'done',
        compressed_url: result.url,
        width: 800,
        height: 600,
        bytes: 4321,
        format: 'avif',
        error: null,
        attempts: 1,
        // Sorted by width, without their keys.
        renditions: [
          { width: 400, height: 300, format: 'avif', bytes: 1234, url: small.url },
          { width: 800, height: 600, format: 'avif', bytes: 4321, url: result.url },
        ],
        placeholder: result.placeholder,
        reused: false,
      });
      expect(after.compressed_product_images).toEqual([result.url]);
      // One image by its id, as the product lists it; null for an id nobody has.
      expect(await repos().products.findImage(image.id)).toEqual(after.images[0]);
      expect(await repos().products.findImage(Number.MAX_SAFE_INTEGER)).toBeNull();
      expect(after.version).toBe(4);
      expect(after.updated_at.getTime()).toBeGreaterThan(product.updated_at.getTime());
    });

    it('applies once: a redelivered job gets null and changes nothing, the version included', async () => {
      const product = await givenImages(['https://i.example/a.jpg']);
      const image = product.images[0]!;
      const result = anImageResult();
      expect(await repos().jobs.complete(image.id, 1, result)).toBe(2);
      const once = await reload(product);
      await tick();
      expect(await repos().jobs.complete(image.id, 1, result)).toBeNull();
      expect(await repos().jobs.complete(image.id, 1, anImageResult())).toBeNull();
      expect(await reload(product)).toEqual(once);
      expect(once.compressed_product_images).toEqual([result.url]);
    });

    it('gets null for another version, a dropped image or a deleted product', async () => {
      const product = await givenImages(['https://i.example/a.jpg', 'https://i.example/b.jpg']);
      const [kept, dropped] = product.images;
      expect(await repos().jobs.complete(kept!.id, 2, anImageResult())).toBeNull();
      await repos().products.update(product.id, { product_images: [kept!.source_url] });
      expect(await repos().jobs.complete(dropped!.id, 1, anImageResult())).toBeNull();
      expect(await reload(product)).toMatchObject({ compressed_product_images: [], version: 2 });
      await repos().products.delete(product.id);
      expect(await repos().jobs.complete(kept!.id, 1, anImageResult())).toBeNull();
    });

    it('lists compressed URLs in product_images order, whatever order they finish in', async () => {
      const product = await givenImages(['https://i.example/a.jpg', 'https://i.example/b.jpg', 'https://i.example/c.jpg']);
      const [a, , c] = product.images;
      const resultC = anImageResult();
      const resultA = anImageResult();
      await repos().jobs.complete(c!.id, 1, resultC);
      await repos().jobs.complete(a!.id, 1, resultA);
      expect((await reload(product)).compressed_product_images).toEqual([resultA.url, resultC.url]);
      const reordered = await repos().products.update(product.id, { product_images: [c!.source_url, 'https://i.example/d.jpg', a!.source_url] });
      expect(reordered?.compressed_product_images).toEqual([resultC.url, resultA.url]);
    });
  });

  describe('fail', () => {
    it('puts the image back to pending with the reason while retries remain', async () => {
      const product = await givenImages(['https://i.example/a.jpg']);
      const image = product.images[0]!;
      await repos().jobs.start(image.id, 1);
      expect(await repos().jobs.fail(image.id, 1, 'image.timeout: no answer in 15 s', false)).toBe(3);
      const after = await reload(product);
      expect(after.images[0]).toMatchObject({ status: 'pending', error: 'image.timeout: no answer in 15 s', attempts: 1 });
      expect(after).toMatchObject({ version: 3, updated_at: product.updated_at });
    });

    it('fails the image for good when final; a replay may start it again', async () => {
      const product = await givenImages(['https://i.example/a.jpg']);
      const image = product.images[0]!;
      await repos().jobs.start(image.id, 1);
      expect(await repos().jobs.fail(image.id, 1, 'image.not_found: HTTP 404', true)).toBe(3);
      expect((await reload(product)).images[0]).toMatchObject({ status: 'failed', error: 'image.not_found: HTTP 404' });
      expect(await repos().jobs.start(image.id, 1)).toMatchObject({ attempts: 2 });
    });

    it('gets null and changes nothing for another version, a done image or a dropped one', async () => {
      const product = await givenImages(['https://i.example/a.jpg', 'https://i.example/b.jpg']);
      const [done, dropped] = product.images;
      expect(await repos().jobs.fail(done!.id, 2, 'stale', true)).toBeNull();
      expect(await repos().jobs.complete(done!.id, 1, anImageResult())).toBe(2);
      expect(await repos().jobs.fail(done!.id, 1, 'late duplicate', true)).toBeNull();
      expect((await repos().products.update(product.id, { product_images: [done!.source_url] }))?.version).toBe(3);
      expect(await repos().jobs.fail(dropped!.id, 1, 'gone', false)).toBeNull();
      const after = await reload(product);
      expect(after.images[0]).toMatchObject({ status: 'done', error: null });
      expect(after.version).toBe(3);
    });
  });

  describe('fail, releasing an uploaded original', () => {
    it('fails the image, forgets its source key and queues the original\'s deletion, in one change', async () => {
      const product = await givenImages([]);
      const key = `originals/${aKey()}.png`;
      const added = await repos().products.addImage(product.id, { source_url: 'https://u.example/bad.png', source_key: key });
      if (!added.ok) throw new Error(added.error);
      await repos().jobs.start(added.value.image.id, 1);
      await drain(repos().outbox);
      expect(await repos().jobs.fail(added.value.image.id, 1, 'image.corrupt: truncated', true, true)).toEqual(expect.any(Number));
      expect(withoutEvents(await drain(repos().outbox)).map((message) => message.task)).toEqual([{ type: 'object.delete', key }]);
      expect((await reload(product)).images[0]).toMatchObject({ status: 'failed', error: 'image.corrupt: truncated' });
      expect(await repos().references.beginDeletion(key, 60_000)).toEqual(expect.any(String));
    });

    it('releases nothing for a URL image, or when the failure is not final', async () => {
      const product = await givenImages(['https://i.example/a.jpg']);
      const upload = `originals/${aKey()}.png`;
      const added = await repos().products.addImage(product.id, { source_url: 'https://u.example/b.png', source_key: upload });
      if (!added.ok) throw new Error(added.error);
      await drain(repos().outbox);
      await repos().jobs.fail(product.images[0]!.id, 1, 'image.not_an_image: html', true, true);
      await repos().jobs.fail(added.value.image.id, 1, 'image.timeout: slow', false, true);
      expect(withoutEvents(await drain(repos().outbox))).toEqual([]);
      expect(await repos().references.beginDeletion(upload, 60_000)).toBeNull();
    });
  });

  describe('requeueUnfinished', () => {
    it('queues every pending or processing image anew at the next version, and leaves done and failed ones', async () => {
      // Other tests' images share the store: count what is unfinished before arranging.
      const others = await repos().jobs.requeueUnfinished();
      const product = await givenImages(['https://i.example/done.jpg', 'https://i.example/failed.jpg', 'https://i.example/busy.jpg', 'https://i.example/new.jpg']);
      const [done, failed, busy, fresh] = product.images;
      await repos().jobs.complete(done!.id, 1, anImageResult());
      await repos().jobs.fail(failed!.id, 1, 'image.not_an_image: text/html', true);
      await repos().jobs.start(busy!.id, 1);
      await drain(repos().outbox);
      expect(await repos().jobs.requeueUnfinished()).toBe(others + 2);
      const mine = (await drain(repos().outbox)).filter((message) => message.task.type === 'image.process' && message.task.product_id === product.id);
      expect(mine.map((message) => message.task)).toEqual([processTaskOf(product, busy!.id, 2), processTaskOf(product, fresh!.id, 2)]);
      expect(await repos().jobs.start(busy!.id, 1)).toBeNull();
      expect(await repos().jobs.start(busy!.id, 2)).toMatchObject({ version: 2, attempts: 2 });
      expect((await reload(product)).images.map((image) => image.status)).toEqual(['done', 'failed', 'processing', 'pending']);
    });
  });
}
