import { describe, expect, it } from 'vitest';
import type { Product } from '../../src/domain/index.js';
import { aKey, anImageResult, drain, gate, givenProduct, givenUser, processTaskOf, tick } from './given.js';
import type { RepoFixture } from './repo-fixture.js';

/** The worker's side of ProductRepo: start, complete, fail, the key lock and requeueing. */
export function imageJobCases(repos: () => RepoFixture): void {
  const givenImages = async (urls: string[]): Promise<Product> => givenProduct(repos(), await givenUser(repos()), { product_images: urls });
  const reload = async (product: Product): Promise<Product> => (await repos().products.findById(product.id))!;

  describe('startImage', () => {
    it('marks the image processing, counts the attempt and returns the work', async () => {
      const product = await givenImages(['https://i.example/a.jpg']);
      const image = product.images[0]!;
      expect(await repos().products.startImage(image.id, 1)).toEqual({
        image_id: image.id,
        product_id: product.id,
        version: 1,
        source_url: 'https://i.example/a.jpg',
        source_key: null,
        attempts: 1,
        product_version: 2,
      });
      expect(await reload(product)).toMatchObject({ version: 2, updated_at: product.updated_at });
      expect((await reload(product)).images[0]).toMatchObject({ status: 'processing', attempts: 1 });
      expect(await repos().products.startImage(image.id, 1)).toMatchObject({ attempts: 2, product_version: 3 });
    });

    it('returns null for another version, a done image, a dropped image and an unknown id', async () => {
      const product = await givenImages(['https://i.example/a.jpg', 'https://i.example/b.jpg']);
      const [done, dropped] = product.images;
      expect(await repos().products.startImage(done!.id, 2)).toBeNull();
      expect(await repos().products.completeImage(done!.id, 1, anImageResult())).toBe(2);
      expect(await repos().products.startImage(done!.id, 1)).toBeNull();
      await repos().products.update(product.id, { product_images: [done!.source_url] });
      expect(await repos().products.startImage(dropped!.id, 1)).toBeNull();
      expect(await repos().products.startImage(987_654_321, 1)).toBeNull();
      expect((await reload(product)).images).toEqual([expect.objectContaining({ id: done!.id, status: 'done', attempts: 0 })]);
    });

    it('returns null once the product is deleted', async () => {
      const product = await givenImages(['https://i.example/a.jpg']);
      await repos().products.delete(product.id);
      expect(await repos().products.startImage(product.images[0]!.id, 1)).toBeNull();
    });
  });

  describe('completeImage', () => {
    it('stores the result, lists the compressed URL and bumps updated_at', async () => {
      const product = await givenImages(['https://i.example/a.jpg']);
      const image = product.images[0]!;
      await repos().products.startImage(image.id, 1);
      await repos().products.recordImageFailure(image.id, 1, 'image.timeout: slow', false);
      await tick();
      const result = anImageResult({ width: 800, height: 600, bytes: 4321, format: 'avif' });
      expect(await repos().products.completeImage(image.id, 1, result)).toBe(4);
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
      });
      expect(after.compressed_product_images).toEqual([result.url]);
      expect(after.version).toBe(4);
      expect(after.updated_at.getTime()).toBeGreaterThan(product.updated_at.getTime());
    });

    it('applies once: a redelivered job gets null and changes nothing, the version included', async () => {
      const product = await givenImages(['https://i.example/a.jpg']);
      const image = product.images[0]!;
      const result = anImageResult();
      expect(await repos().products.completeImage(image.id, 1, result)).toBe(2);
      const once = await reload(product);
      await tick();
      expect(await repos().products.completeImage(image.id, 1, result)).toBeNull();
      expect(await repos().products.completeImage(image.id, 1, anImageResult())).toBeNull();
      expect(await reload(product)).toEqual(once);
      expect(once.compressed_product_images).toEqual([result.url]);
    });

    it('gets null for another version, a dropped image or a deleted product', async () => {
      const product = await givenImages(['https://i.example/a.jpg', 'https://i.example/b.jpg']);
      const [kept, dropped] = product.images;
      expect(await repos().products.completeImage(kept!.id, 2, anImageResult())).toBeNull();
      await repos().products.update(product.id, { product_images: [kept!.source_url] });
      expect(await repos().products.completeImage(dropped!.id, 1, anImageResult())).toBeNull();
      expect(await reload(product)).toMatchObject({ compressed_product_images: [], version: 2 });
      await repos().products.delete(product.id);
      expect(await repos().products.completeImage(kept!.id, 1, anImageResult())).toBeNull();
    });

    it('lists compressed URLs in product_images order, whatever order they finish in', async () => {
      const product = await givenImages(['https://i.example/a.jpg', 'https://i.example/b.jpg', 'https://i.example/c.jpg']);
      const [a, , c] = product.images;
      const resultC = anImageResult();
      const resultA = anImageResult();
      await repos().products.completeImage(c!.id, 1, resultC);
      await repos().products.completeImage(a!.id, 1, resultA);
      expect((await reload(product)).compressed_product_images).toEqual([resultA.url, resultC.url]);
      const reordered = await repos().products.update(product.id, { product_images: [c!.source_url, 'https://i.example/d.jpg', a!.source_url] });
      expect(reordered?.compressed_product_images).toEqual([resultC.url, resultA.url]);
    });
  });

  describe('recordImageFailure', () => {
    it('puts the image back to pending with the reason while retries remain', async () => {
      const product = await givenImages(['https://i.example/a.jpg']);
      const image = product.images[0]!;
      await repos().products.startImage(image.id, 1);
      expect(await repos().products.recordImageFailure(image.id, 1, 'image.timeout: no answer in 15 s', false)).toBe(3);
      const after = await reload(product);
      expect(after.images[0]).toMatchObject({ status: 'pending', error: 'image.timeout: no answer in 15 s', attempts: 1 });
      expect(after).toMatchObject({ version: 3, updated_at: product.updated_at });
    });

    it('fails the image for good when final; a replay may start it again', async () => {
      const product = await givenImages(['https://i.example/a.jpg']);
      const image = product.images[0]!;
      await repos().products.startImage(image.id, 1);
      expect(await repos().products.recordImageFailure(image.id, 1, 'image.not_found: HTTP 404', true)).toBe(3);
      expect((await reload(product)).images[0]).toMatchObject({ status: 'failed', error: 'image.not_found: HTTP 404' });
      expect(await repos().products.startImage(image.id, 1)).toMatchObject({ attempts: 2 });
    });

    it('gets null and changes nothing for another version, a done image or a dropped one', async () => {
      const product = await givenImages(['https://i.example/a.jpg', 'https://i.example/b.jpg']);
      const [done, dropped] = product.images;
      expect(await repos().products.recordImageFailure(done!.id, 2, 'stale', true)).toBeNull();
      expect(await repos().products.completeImage(done!.id, 1, anImageResult())).toBe(2);
      expect(await repos().products.recordImageFailure(done!.id, 1, 'late duplicate', true)).toBeNull();
      expect((await repos().products.update(product.id, { product_images: [done!.source_url] }))?.version).toBe(3);
      expect(await repos().products.recordImageFailure(dropped!.id, 1, 'gone', false)).toBeNull();
      const after = await reload(product);
      expect(after.images[0]).toMatchObject({ status: 'done', error: null });
      expect(after.version).toBe(3);
    });
  });

  describe('whenUnreferenced', () => {
    it('runs the action and reports true when no image references the key', async () => {
      const ran: string[] = [];
      const key = `images/${aKey()}.webp`;
      expect(await repos().products.whenUnreferenced(key, async () => void ran.push(key))).toBe(true);
      expect(ran).toEqual([key]);
    });

    it('skips the action while a compressed or source key is referenced, and runs it once the reference is gone', async () => {
      const product = await givenImages(['https://i.example/a.jpg']);
      const compressed = anImageResult();
      await repos().products.completeImage(product.images[0]!.id, 1, compressed);
      const source = `uploads/${aKey()}`;
      await repos().products.addImage(product.id, { source_url: 'https://u.example/a.png', source_key: source });
      const ran: string[] = [];
      const action = (key: string) => async () => void ran.push(key);
      expect(await repos().products.whenUnreferenced(compressed.key, action(compressed.key))).toBe(false);
      expect(await repos().products.whenUnreferenced(source, action(source))).toBe(false);
      expect(ran).toEqual([]);
      await repos().products.delete(product.id);
      expect(await repos().products.whenUnreferenced(compressed.key, action(compressed.key))).toBe(true);
      expect(await repos().products.whenUnreferenced(source, action(source))).toBe(true);
      expect(ran).toEqual([compressed.key, source]);
    });

    /** Runs `reference(key)` while a cleanup of `key` is inside its action; returns the order of events. */
    async function raceCleanup(key: string, reference: () => Promise<boolean>): Promise<string[]> {
      const events: string[] = [];
      const started = gate();
      const release = gate();
      const cleanup = repos().products.whenUnreferenced(key, async () => {
        events.push('delete started');
        started.open();
        await release.opened;
        events.push('delete finished');
      });
      await started.opened;
      const referenced = reference().then((applied) => {
        events.push('referenced');
        return applied;
      });
      // Give an unserialized call ample time to overtake before letting the action end.
      await new Promise((resolve) => setTimeout(resolve, 100));
      release.open();
      expect(await cleanup).toBe(true);
      expect(await referenced).toBe(true);
      expect(await repos().products.whenUnreferenced(key, async () => void events.push('deleted again'))).toBe(false);
      return events;
    }

    it('holds the key: a completeImage with that key waits until the action finished', async () => {
      const product = await givenImages(['https://i.example/a.jpg']);
      const result = anImageResult();
      const complete = async () => (await repos().products.completeImage(product.images[0]!.id, 1, result)) === 2;
      const events = await raceCleanup(result.key, complete);
      expect(events).toEqual(['delete started', 'delete finished', 'referenced']);
    });

    it('holds the key: an upload of that key waits until the action finished', async () => {
      const product = await givenImages([]);
      const key = `uploads/${aKey()}`;
      const upload = async () => (await repos().products.addImage(product.id, { source_url: 'https://u.example/a.png', source_key: key })).ok;
      expect(await raceCleanup(key, upload)).toEqual(['delete started', 'delete finished', 'referenced']);
    });

    it('passes a failing action on and frees the key', async () => {
      const key = `images/${aKey()}.webp`;
      await expect(repos().products.whenUnreferenced(key, () => Promise.reject(new Error('storage down')))).rejects.toThrow('storage down');
      expect(await repos().products.whenUnreferenced(key, async () => undefined)).toBe(true);
    });
  });

  describe('requeueUnfinishedImages', () => {
    it('queues every pending or processing image anew at the next version, and leaves done and failed ones', async () => {
      // Other tests' images share the store: count what is unfinished before arranging.
      const others = await repos().products.requeueUnfinishedImages();
      const product = await givenImages(['https://i.example/done.jpg', 'https://i.example/failed.jpg', 'https://i.example/busy.jpg', 'https://i.example/new.jpg']);
      const [done, failed, busy, fresh] = product.images;
      await repos().products.completeImage(done!.id, 1, anImageResult());
      await repos().products.recordImageFailure(failed!.id, 1, 'image.not_an_image: text/html', true);
      await repos().products.startImage(busy!.id, 1);
      await drain(repos().outbox);
      expect(await repos().products.requeueUnfinishedImages()).toBe(others + 2);
      const mine = (await drain(repos().outbox)).filter((message) => message.task.type === 'image.process' && message.task.product_id === product.id);
      expect(mine.map((message) => message.task)).toEqual([processTaskOf(product, busy!.id, 2), processTaskOf(product, fresh!.id, 2)]);
      expect(await repos().products.startImage(busy!.id, 1)).toBeNull();
      expect(await repos().products.startImage(busy!.id, 2)).toMatchObject({ version: 2, attempts: 2 });
      expect((await reload(product)).images.map((image) => image.status)).toEqual(['done', 'failed', 'processing', 'pending']);
    });
  });
}
