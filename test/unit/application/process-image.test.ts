import { afterEach, describe, expect, it, vi } from 'vitest';
import { contentKey, createProduct, deleteProduct, updateProduct } from '../../../src/application/index.js';
import { permanentFailure } from '../../../src/domain/index.js';
import { aNewProduct } from '../../support/mothers.js';
import { eventually } from '../../support/eventually.js';
import { pngBytes, unavailable } from '../../support/pipeline-fakes.js';
import { pipelineFixture } from './pipeline-fixture.js';

let fixture: Awaited<ReturnType<typeof pipelineFixture>>;
afterEach(async () => {
  await fixture.close();
});

const urls = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `https://img.example.com/${tag}/${i}.png`);

describe('the image pipeline on fakes', () => {
  it('processes every image once and lists the compressed URLs in product_images order', async () => {
    fixture = await pipelineFixture();
    const images = urls(3, 'order');
    images.forEach((url, i) => fixture.fetcher.script(url, pngBytes(`photo-${i}`)));
    const created = await createProduct(fixture, aNewProduct(fixture.user.id, { product_images: images }), { requestId: 'req-1' });
    if (!created.ok) throw new Error('not created');

    const product = await fixture.settled(created.value.product.id);
    expect(product.images.map((image) => [image.status, image.attempts, image.error])).toEqual([
      ['done', 1, null],
      ['done', 1, null],
      ['done', 1, null],
    ]);
    const keys = await Promise.all(images.map(async (_, i) => (await fixture.compressor.compress(pngBytes(`photo-${i}`))).bytes));
    const expected = await Promise.all(keys.map((bytes) => contentKey('images', bytes, 'webp')));
    expect(product.compressed_product_images).toEqual(expected.map((key) => `https://cdn.example.com/${key}`));
    expect(product.images[0]).toMatchObject({ width: 40, height: 30, format: 'webp' });
    expect(fixture.objects.keys().sort()).toEqual([...expected].sort());
    expect(fixture.fetcher.calls.sort()).toEqual([...images].sort());
  });

  it('reports each stage and how each job ended to the pipeline metrics', async () => {
    fixture = await pipelineFixture();
    const [good, flaky, broken] = urls(3, 'metrics') as [string, string, string];
    fixture.fetcher.script(good, pngBytes('good'));
    fixture.fetcher.script(flaky, unavailable(), pngBytes('flaky'));
    fixture.fetcher.script(broken, permanentFailure('image.not_an_image', 'not an image'));
    for (const url of [good, flaky, broken]) {
      const created = await createProduct(fixture, aNewProduct(fixture.user.id, { product_images: [url] }));
      if (!created.ok) throw new Error('not created');
      await fixture.settled(created.value.product.id);
    }
    expect(fixture.observed.jobs).toEqual(['done', 'retry', 'done', 'failed']);
    // A done job: download, compress, store, commit; a failed download is timed too.
    expect(fixture.observed.stages).toEqual(['download', 'compress', 'store', 'commit', 'download', 'download', 'compress', 'store', 'commit', 'download']);
  });

  it('retries a source that answers 503 twice, then succeeds', async () => {
    fixture = await pipelineFixture();
    const [url] = urls(1, 'flaky') as [string];
    fixture.fetcher.script(url, unavailable(), unavailable(), pngBytes('flaky'));
    const created = await createProduct(fixture, aNewProduct(fixture.user.id, { product_images: [url] }));
    if (!created.ok) throw new Error('not created');
    const product = await fixture.settled(created.value.product.id);
    expect(product.images[0]).toMatchObject({ status: 'done', attempts: 3, error: null });
    expect(fixture.fetcher.calls).toEqual([url, url, url]);
    expect(fixture.delays).toEqual([5, 5]);
  });

  it('fails a permanent error at once with its reason and no retry', async () => {
    fixture = await pipelineFixture();
    const [url] = urls(1, 'gone') as [string];
    fixture.fetcher.script(url, permanentFailure('image.not_found', 'HTTP 404 from the source'));
    const created = await createProduct(fixture, aNewProduct(fixture.user.id, { product_images: [url] }));
    if (!created.ok) throw new Error('not created');
    const product = await fixture.settled(created.value.product.id);
    expect(product.images[0]).toMatchObject({ status: 'failed', attempts: 1, error: 'image.not_found: HTTP 404 from the source' });
    expect(product.compressed_product_images).toEqual([]);
    expect(await fixture.queue.list(100)).toEqual([]);
    expect(fixture.delays).toEqual([]);
  });

  it('dead-letters a job that always fails transiently, marks the image failed, and replays it', async () => {
    fixture = await pipelineFixture({ retryDelaysMs: [5, 5] });
    const [url] = urls(1, 'down') as [string];
    fixture.fetcher.script(url, unavailable());
    const created = await createProduct(fixture, aNewProduct(fixture.user.id, { product_images: [url] }));
    if (!created.ok) throw new Error('not created');
    const product = await fixture.settled(created.value.product.id);
    expect(product.images[0]).toMatchObject({ status: 'failed', attempts: 3, error: 'image.unavailable: HTTP 503 from the source' });
    await eventually(async () => expect(await fixture.queue.list(100)).toHaveLength(1));
    const [letter] = await fixture.queue.list(100);
    expect(letter).toMatchObject({ attempts: 3, reason: 'image.unavailable: HTTP 503 from the source', task: { type: 'image.process' } });

    fixture.fetcher.script(url, pngBytes('back'));
    expect(await fixture.queue.replay('all')).toBe(1);
    await eventually(async () => expect((await fixture.products.findById(created.value.product.id))?.images[0]?.status).toBe('done'));
    expect(await fixture.queue.list(100)).toEqual([]);
  });

  it('records a pending error while retrying, so users see why', async () => {
    fixture = await pipelineFixture({ retryDelaysMs: [60_000], retries: 'held' });
    const [url] = urls(1, 'slow-retry') as [string];
    fixture.fetcher.script(url, unavailable(429), pngBytes('later'));
    const created = await createProduct(fixture, aNewProduct(fixture.user.id, { product_images: [url] }));
    if (!created.ok) throw new Error('not created');
    await eventually(() => expect(fixture.delays).toEqual([60_000]));
    expect((await fixture.products.findById(created.value.product.id))?.images[0]).toMatchObject({
      status: 'pending',
      attempts: 1,
      error: 'image.unavailable: HTTP 429 from the source',
    });
    expect(fixture.fetcher.calls).toEqual([url]);
  });

  it('turns storage and unexpected errors into transient failures without leaking internals', async () => {
    fixture = await pipelineFixture({ retryDelaysMs: [5] });
    const [url] = urls(1, 'boom') as [string];
    fixture.fetcher.script(url, pngBytes('boom'));
    fixture.compressor.failure = new Error('libvips exploded at 0xdeadbeef');
    const created = await createProduct(fixture, aNewProduct(fixture.user.id, { product_images: [url] }));
    if (!created.ok) throw new Error('not created');
    const product = await fixture.settled(created.value.product.id);
    expect(product.images[0]).toMatchObject({ status: 'failed', attempts: 2, error: 'internal: processing failed' });

    fixture.compressor.failure = undefined;
    const put = fixture.objects.put.bind(fixture.objects);
    let failures = 1;
    fixture.objects.put = async (...args) => {
      if (failures-- > 0) throw new Error('socket hang up');
      return put(...args);
    };
    const [other] = urls(1, 'storage') as [string];
    fixture.fetcher.script(other, pngBytes('storage'));
    const second = await createProduct(fixture, aNewProduct(fixture.user.id, { product_images: [other] }));
    if (!second.ok) throw new Error('not created');
    expect((await fixture.settled(second.value.product.id)).images[0]).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('skips jobs of deleted products and removes objects nobody references any more', async () => {
    fixture = await pipelineFixture();
    const shared = 'https://img.example.com/shared.png';
    fixture.fetcher.script(shared, pngBytes('shared'));
    const [only] = urls(1, 'only') as [string];
    fixture.fetcher.script(only, pngBytes('only'));
    const a = await createProduct(fixture, aNewProduct(fixture.user.id, { product_images: [shared, only] }));
    const b = await createProduct(fixture, aNewProduct(fixture.user.id, { product_images: [shared] }));
    if (!a.ok || !b.ok) throw new Error('not created');
    await fixture.settled(a.value.product.id);
    await fixture.settled(b.value.product.id);
    expect(fixture.objects.keys()).toHaveLength(2);

    expect((await deleteProduct(fixture, a.value.product.id)).ok).toBe(true);
    // The object only product A used goes; the one B shares (same content, same key) stays.
    await eventually(() => expect(fixture.objects.keys()).toHaveLength(1));
    const remaining = (await fixture.products.findById(b.value.product.id))?.compressed_product_images[0];
    expect(remaining).toBe(`https://cdn.example.com/${fixture.objects.keys()[0]}`);
  });

  it('keeps finished images when the list is reordered and processes only new URLs', async () => {
    fixture = await pipelineFixture();
    const [first, second, third] = urls(3, 'reorder') as [string, string, string];
    for (const url of [first, second, third]) fixture.fetcher.script(url, pngBytes(url));
    const created = await createProduct(fixture, aNewProduct(fixture.user.id, { product_images: [first, second] }));
    if (!created.ok) throw new Error('not created');
    const before = await fixture.settled(created.value.product.id);
    const updated = await updateProduct(fixture, before.id, { product_images: [third, second] }, 'merge', { requestId: 'r2' });
    if (!updated.ok) throw new Error('not updated');
    const after = await fixture.settled(before.id);
    expect(after.product_images).toEqual([third, second]);
    expect(after.compressed_product_images[1]).toBe(before.compressed_product_images[1]);
    expect(fixture.fetcher.calls.filter((url) => url === second)).toHaveLength(1);
    await eventually(() => expect(fixture.objects.keys()).toHaveLength(2));
  });

  it('is idempotent when a finished job is delivered again', async () => {
    fixture = await pipelineFixture();
    const [url] = urls(1, 'again') as [string];
    fixture.fetcher.script(url, pngBytes('again'));
    const created = await createProduct(fixture, aNewProduct(fixture.user.id, { product_images: [url] }));
    if (!created.ok) throw new Error('not created');
    const done = await fixture.settled(created.value.product.id);
    const image = done.images[0];
    if (!image) throw new Error('no image');
    const start = vi.spyOn(fixture.jobs, 'start');
    await fixture.queue.publish([{ id: 'dup', task: { type: 'image.process', product_id: done.id, image_id: image.id, version: 1 } }]);
    // The duplicate's first step is a guarded start, which finds the image done: nothing follows.
    await eventually(() => expect(start).toHaveBeenCalledTimes(1));
    expect(await start.mock.results[0]?.value).toBeNull();
    expect(await fixture.queue.list(100)).toEqual([]);
    expect(await fixture.products.findById(done.id)).toEqual(done);
    expect(fixture.fetcher.calls).toEqual([url]);
  });
});
