import { afterEach, describe, expect, it } from 'vitest';
import { createProduct, uploadImage } from '../../../src/application/index.js';
import { permanentFailure } from '../../../src/domain/index.js';
import { eventually } from '../../support/eventually.js';
import { aNewProduct } from '../../support/mothers.js';
import { pngBytes, uploadOf } from '../../support/pipeline-fakes.js';
import { pipelineFixture } from './pipeline-fixture.js';

let fixture: Awaited<ReturnType<typeof pipelineFixture>>;
afterEach(async () => {
  await fixture.close();
});

const LIMIT = { maxBytes: 1024 };

describe('uploadImage', () => {
  it('stores the original, appends a pending image and processes it from storage', async () => {
    fixture = await pipelineFixture();
    const created = await createProduct(fixture, aNewProduct(fixture.user.id, { product_images: [] }));
    if (!created.ok) throw new Error('not created');
    const uploaded = await uploadImage(fixture, created.value.product.id, uploadOf(pngBytes('upload')), { ...LIMIT, requestId: 'up-1' });
    if (!uploaded.ok) throw new Error(uploaded.error.message);
    expect(uploaded.value).toMatchObject({ added: true, image: { position: 0, status: 'pending' } });
    expect(uploaded.value.image.source_url).toMatch(/^https:\/\/cdn\.example\.com\/originals\/[0-9a-f]{64}\.png$/);

    const product = await fixture.settled(created.value.product.id);
    expect(product.images[0]).toMatchObject({ status: 'done', source_url: uploaded.value.image.source_url });
    expect(fixture.fetcher.calls).toEqual([]); // read from storage, never fetched
  });

  it('deletes an original that turns out to be no processable image, and keeps the failure on the image', async () => {
    fixture = await pipelineFixture();
    const created = await createProduct(fixture, aNewProduct(fixture.user.id, { product_images: [] }));
    if (!created.ok) throw new Error('not created');
    fixture.compressor.failure = permanentFailure('image.corrupt', 'the image could not be decoded: truncated');
    const uploaded = await uploadImage(fixture, created.value.product.id, uploadOf(pngBytes('looks like png')), LIMIT);
    if (!uploaded.ok) throw new Error(uploaded.error.message);
    const product = await fixture.settled(created.value.product.id);
    expect(product.images[0]).toMatchObject({ status: 'failed', error: 'image.corrupt: the image could not be decoded: truncated' });
    await eventually(() => expect(fixture.objects.keys()).toEqual([]));
  });

  it.each([
    [new Uint8Array(), 'is empty'],
    [new TextEncoder().encode('<html>not an image</html>'), 'is not an image'],
    [new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'SVG images are not accepted'],
    [new Uint8Array(2048).fill(0x89), 'must be at most 1024 bytes'],
  ])('refuses a bad file without storing anything (%#)', async (bytes, message) => {
    fixture = await pipelineFixture();
    const created = await createProduct(fixture, aNewProduct(fixture.user.id, { product_images: [] }));
    if (!created.ok) throw new Error('not created');
    const result = await uploadImage(fixture, created.value.product.id, uploadOf(bytes), LIMIT);
    expect(result).toMatchObject({ ok: false, error: { code: 'validation.failed', errors: [{ path: 'file', message }] } });
    expect(fixture.objects.keys()).toEqual([]);
  });

  it('reports an unknown product and a full one, leaving no orphaned original', async () => {
    fixture = await pipelineFixture();
    const unread = uploadOf(pngBytes('x'));
    expect(await uploadImage(fixture, 999, unread, LIMIT)).toMatchObject({ ok: false, error: { code: 'product.not_found' } });
    expect(unread.received).toBe(0); // the product is looked up before any byte is read
    const full = Array.from({ length: 10 }, (_, i) => `https://img.example.com/full/${i}.png`);
    full.forEach((url) => fixture.fetcher.script(url, pngBytes(url)));
    const created = await createProduct(fixture, aNewProduct(fixture.user.id, { product_images: full }));
    if (!created.ok) throw new Error('not created');
    await fixture.settled(created.value.product.id);
    const before = fixture.objects.keys().length;
    const result = await uploadImage(fixture, created.value.product.id, uploadOf(pngBytes('one too many')), LIMIT);
    expect(result).toMatchObject({ ok: false, error: { code: 'product.too_many_images', errors: [{ path: 'file' }] } });
    expect(fixture.objects.keys()).toHaveLength(before);
  });
});

describe('startOutboxRelay', () => {
  it('keeps messages in the outbox while publishing fails and delivers them once it works', async () => {
    let brokerUp = false;
    let attempts = 0;
    fixture = await pipelineFixture({
      publisher: (inner) => ({
        publish: async (messages) => {
          attempts += 1;
          if (!brokerUp) throw new Error('broker unreachable');
          return inner.publish(messages);
        },
      }),
    });
    const url = 'https://img.example.com/outage.png';
    fixture.fetcher.script(url, pngBytes('outage'));
    const created = await createProduct(fixture, aNewProduct(fixture.user.id, { product_images: [url] }));
    if (!created.ok) throw new Error('not created');
    await eventually(() => expect(attempts).toBeGreaterThanOrEqual(3));
    // The image's task and the product.created event.
    expect(fixture.outbox.pending).toHaveLength(2);
    expect((await fixture.products.findById(created.value.product.id))?.images[0]?.status).toBe('pending');

    brokerUp = true;
    const product = await fixture.settled(created.value.product.id);
    expect(product.images[0]?.status).toBe('done');
    expect(fixture.outbox.pending).toHaveLength(0);
  });

  it('drains a backlog larger than one batch', async () => {
    fixture = await pipelineFixture();
    const ids: number[] = [];
    for (let i = 0; i < 30; i += 1) {
      const images = Array.from({ length: 5 }, (_, j) => `https://img.example.com/backlog/${i}/${j}.png`);
      images.forEach((url) => fixture.fetcher.script(url, pngBytes(url)));
      const created = await createProduct(fixture, aNewProduct(fixture.user.id, { product_images: images }));
      if (!created.ok) throw new Error('not created');
      ids.push(created.value.product.id);
    }
    for (const id of ids) expect((await fixture.settled(id)).images.every((image) => image.status === 'done')).toBe(true);
  });
});
