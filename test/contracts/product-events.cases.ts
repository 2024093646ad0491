import { expect, it } from 'vitest';
import { productView, type CatalogEvent } from '../../src/application/index.js';
import type { Product } from '../../src/domain/index.js';
import { aKey, aNewProduct, anImageResult } from '../support/mothers.js';
import { eventsBy, givenProduct, givenUser, processTaskOf, queuedWithEvents } from './given.js';
import type { RepoFixture } from './repo-fixture.js';

/** Every visible change records its event in the change's own transaction, showing what the API shows. */
export function productEventCases(repos: () => RepoFixture): void {
  const expectEnvelope = (event: CatalogEvent, product: Pick<Product, 'id' | 'user_id'>) => {
    expect(event.id).toMatch(/^evt_[0-9a-f-]{36}$/);
    expect(Number.isNaN(Date.parse(event.timestamp))).toBe(false);
    expect(event).toMatchObject({ product_id: product.id, user_id: product.user_id });
  };

  async function reload(product: Product): Promise<Product> {
    const found = await repos().products.findById(product.id);
    if (!found) throw new Error('product vanished');
    return found;
  }

  it('create records product.created with the product as created, once per product', async () => {
    const userId = await givenUser(repos());
    let product!: Product;
    const events = await eventsBy(repos(), async () => {
      product = await givenProduct(repos(), userId, { product_images: ['https://e.example/a.jpg'] });
    });
    expect(events.map((event) => event.type)).toEqual(['product.created']);
    expectEnvelope(events[0]!, product);
    expect(events[0]!.data).toEqual({ product: productView(product) });
    expect(JSON.parse(JSON.stringify(events[0]!.data))).toMatchObject({ product: { created_at: product.created_at.toISOString() } });
  });

  it('records nothing for a rolled-back create: unknown owner, replayed or reused key', async () => {
    const userId = await givenUser(repos());
    const input = aNewProduct(userId);
    const idempotency = { key: aKey(), fingerprint: 'body' };
    expect((await repos().products.create(input, { idempotency })).ok).toBe(true);
    const events = await eventsBy(repos(), async () => {
      expect(await repos().products.create(aNewProduct(987_654_321))).toMatchObject({ ok: false, error: 'user.not_found' });
      expect(await repos().products.create(input, { idempotency })).toMatchObject({ ok: true, value: { replayed: true } });
      expect(await repos().products.create(input, { idempotency: { ...idempotency, fingerprint: 'other' } })).toMatchObject({ ok: false });
    });
    expect(events).toEqual([]);
  });

  it('update and an added upload record product.updated showing the product after the change', async () => {
    const product = await givenProduct(repos(), await givenUser(repos()));
    let updated!: Product | null;
    let uploaded!: Product;
    const events = await eventsBy(repos(), async () => {
      updated = await repos().products.update(product.id, { product_name: 'Renamed' });
      const added = await repos().products.addImage(product.id, { source_url: 'https://u.example/x.png', source_key: `originals/${aKey()}` });
      if (!added.ok) throw new Error(added.error);
      uploaded = added.value.product;
      // The same upload again changes nothing, so it records nothing.
      await repos().products.addImage(product.id, { source_url: 'https://u.example/x.png', source_key: 'other' });
      expect(await repos().products.update(987_654_321, { product_name: 'Nobody' })).toBeNull();
    });
    expect(events.map((event) => event.type)).toEqual(['product.updated', 'product.updated']);
    expect(events[0]!.data).toEqual({ product: productView(updated!) });
    expect(events[1]!.data).toEqual({ product: productView(uploaded) });
  });

  it('delete records product.deleted showing the product as it was', async () => {
    const product = await givenProduct(repos(), await givenUser(repos()), { product_images: ['https://e.example/d.jpg'] });
    const events = await eventsBy(repos(), async () => {
      expect(await repos().products.delete(product.id)).toBe(true);
      expect(await repos().products.delete(product.id)).toBe(false);
    });
    expect(events.map((event) => event.type)).toEqual(['product.deleted']);
    expectEnvelope(events[0]!, product);
    expect(events[0]!.data).toEqual({ product: productView(product) });
  });

  it('image.done for each finished image, and product.images_settled after the last one', async () => {
    const product = await givenProduct(repos(), await givenUser(repos()), { product_images: ['https://e.example/1.jpg', 'https://e.example/2.jpg'] });
    const [first, second] = product.images;
    await repos().jobs.start(first!.id, 1);
    await repos().jobs.start(second!.id, 1);
    const firstEvents = await eventsBy(repos(), () => repos().jobs.complete(first!.id, 1, anImageResult({ key: `images/${aKey()}.webp` })));
    expect(firstEvents.map((event) => event.type)).toEqual(['image.done']);
    const shown = await reload(product);
    expect(firstEvents[0]!.data).toEqual({ product_id: product.id, image: shown.images[0] });

    const lastEvents = await eventsBy(repos(), async () => {
      await repos().jobs.complete(second!.id, 1, anImageResult({ key: `images/${aKey()}.webp` }));
      // A duplicate of a finished job is moot: no change, no event.
      expect(await repos().jobs.complete(second!.id, 1, anImageResult())).toBeNull();
    });
    expect(lastEvents.map((event) => event.type)).toEqual(['image.done', 'product.images_settled']);
    expect(lastEvents[1]!.data).toEqual({ product: productView(await reload(product)) });
  });

  it('a reused image records image.done like a compressed one, and settles the product', async () => {
    const product = await givenProduct(repos(), await givenUser(repos()), { product_images: ['https://e.example/r1.jpg', 'https://e.example/r2.jpg'] });
    const [donor, taker] = product.images;
    const digest = `digest-${aKey()}`;
    await repos().jobs.start(donor!.id, 1);
    await repos().jobs.complete(donor!.id, 1, anImageResult({ key: `images/${aKey()}.webp`, source_digest: digest }));
    const events = await eventsBy(repos(), async () => {
      expect(await repos().jobs.reuse(taker!.id, 1, digest)).toMatchObject({ type: 'reused' });
    });
    expect(events.map((event) => event.type)).toEqual(['image.done', 'product.images_settled']);
    const shown = await reload(product);
    expect(events[0]!.data).toEqual({ product_id: product.id, image: shown.images[1] });
  });

  it('a bulk create records product.created for each product it created, none for a failed item', async () => {
    const userId = await givenUser(repos());
    let created: Product[] = [];
    const events = await eventsBy(repos(), async () => {
      const outcomes = await repos().products.createMany([{ product: aNewProduct(userId) }, { product: aNewProduct(987_654_321) }, { product: aNewProduct(userId) }]);
      created = outcomes.flatMap((outcome) => (outcome.ok ? [outcome.value.product] : []));
    });
    expect(created).toHaveLength(2);
    expect(events.map((event) => [event.type, event.product_id])).toEqual(created.map((product) => ['product.created', product.id]));
    expect(events.map((event) => event.data)).toEqual(created.map((product) => ({ product: productView(product) })));
  });

  it('image.failed only for a final failure, settling the product when nothing else is unfinished', async () => {
    const product = await givenProduct(repos(), await givenUser(repos()), { product_images: ['https://e.example/f.jpg'] });
    const image = product.images[0]!;
    await repos().jobs.start(image.id, 1);
    const events = await eventsBy(repos(), async () => {
      await repos().jobs.fail(image.id, 1, 'image.timeout: slow', false);
      await repos().jobs.fail(image.id, 1, 'image.not_an_image: html', true);
      expect(await repos().jobs.fail(image.id, 99, 'image.not_an_image: html', true)).toBeNull();
    });
    expect(events.map((event) => event.type)).toEqual(['image.failed', 'product.images_settled']);
    expect(events[0]!.data).toMatchObject({ product_id: product.id, image: { id: image.id, status: 'failed', error: 'image.not_an_image: html' } });
  });

  it('a failure that releases an upload records its event with the deletion', async () => {
    const product = await givenProduct(repos(), await givenUser(repos()), { product_images: ['https://e.example/keep.jpg'] });
    const added = await repos().products.addImage(product.id, { source_url: 'https://u.example/bad.png', source_key: `originals/${aKey()}` });
    if (!added.ok) throw new Error(added.error);
    await repos().jobs.start(added.value.image.id, 1);
    const events = await eventsBy(repos(), () => repos().jobs.fail(added.value.image.id, 1, 'image.corrupt: truncated', true, true));
    // The first image is still pending: not settled yet.
    expect(events.map((event) => event.type)).toEqual(['image.failed']);
  });

  it('retryImage queues a failed image again with its event; anything else is refused and changes nothing', async () => {
    const product = await givenProduct(repos(), await givenUser(repos()), { product_images: ['https://e.example/r1.jpg', 'https://e.example/r2.jpg'] });
    const [failed, pending] = product.images;
    await repos().jobs.start(failed!.id, 1);
    await repos().jobs.fail(failed!.id, 1, 'image.not_an_image: html', true);
    const other = await givenProduct(repos(), product.user_id);
    let retried!: Awaited<ReturnType<RepoFixture['products']['retryImage']>>;
    const messages = await queuedWithEvents(repos(), async () => {
      expect(await repos().products.retryImage(product.id, pending!.id)).toEqual({ ok: false, error: 'image.not_failed' });
      expect(await repos().products.retryImage(other.id, failed!.id)).toEqual({ ok: false, error: 'image.not_found' });
      expect(await repos().products.retryImage(987_654_321, failed!.id)).toEqual({ ok: false, error: 'product.not_found' });
      retried = await repos().products.retryImage(product.id, failed!.id, { requestId: 'req-retry' });
    });
    if (!retried.ok) throw new Error(retried.error);
    expect(retried.value.image).toMatchObject({ id: failed!.id, status: 'pending', error: null });
    const shown = await reload(product);
    expect(shown.images[0]).toEqual(retried.value.image);
    expect(retried.value.product).toEqual(shown);
    expect(messages.map((message) => message.task.type)).toEqual(['image.process', 'event.publish']);
    expect(messages[0]!.task).toEqual(processTaskOf(product, failed!.id, 2));
    expect(messages[1]!.task).toMatchObject({ event: { type: 'product.updated', data: { product: productView(shown) } } });
    expect(messages.every((message) => message.request_id === 'req-retry')).toBe(true);
    // The retried job runs at the new version.
    expect(await repos().jobs.start(failed!.id, 2)).not.toBeNull();
  });
}
