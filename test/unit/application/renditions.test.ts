import { afterEach, describe, expect, it } from 'vitest';
import { contentKey, createProduct, deleteProduct } from '../../../src/application/index.js';
import { aNewProduct } from '../../support/mothers.js';
import { eventually } from '../../support/eventually.js';
import { pngBytes } from '../../support/pipeline-fakes.js';
import { pipelineFixture } from './pipeline-fixture.js';

let fixture: Awaited<ReturnType<typeof pipelineFixture>>;
afterEach(async () => {
  await fixture.close();
});

/** The keys the marker compressor's two renditions of `seed` are stored under, smallest first. */
async function renditionKeys(seed: string): Promise<[string, string]> {
  const { renditions } = await fixture.compressor.renditions(pngBytes(seed));
  return [await contentKey('images', renditions[0]!.bytes, 'webp'), await contentKey('images', renditions[1]!.bytes, 'webp')];
}

describe('renditions in the pipeline', () => {
  it('stores every rendition and lists them by width, with the placeholder; compressed_product_images keeps the largest', async () => {
    fixture = await pipelineFixture();
    fixture.compressor.halfSize = true;
    fixture.fetcher.script('https://img.example.com/r/a.png', pngBytes('two-sizes'));
    const created = await createProduct(fixture, aNewProduct(fixture.user.id, { product_images: ['https://img.example.com/r/a.png'] }));
    if (!created.ok) throw new Error('not created');

    const product = await fixture.settled(created.value.product.id);
    const [small, large] = await renditionKeys('two-sizes');
    expect(product.compressed_product_images).toEqual([`https://cdn.example.com/${large}`]);
    expect(product.images[0]).toMatchObject({
      status: 'done',
      width: 40,
      height: 30,
      reused: false,
      placeholder: { thumbhash: 'AAAA', color: '#102030' },
      renditions: [
        { width: 20, height: 15, format: 'webp', url: `https://cdn.example.com/${small}` },
        { width: 40, height: 30, format: 'webp', url: `https://cdn.example.com/${large}` },
      ],
    });
    expect(fixture.objects.keys().sort()).toEqual([small, large].sort());

    // Deleting the product queues the deletion of every rendition, not only the largest.
    await deleteProduct(fixture, created.value.product.id);
    await eventually(() => expect(fixture.objects.keys()).toEqual([]));
  });

  it('leaves no rendition behind when storing one of them fails, then stores them all on the retry', async () => {
    fixture = await pipelineFixture({ retryDelaysMs: [5] });
    fixture.compressor.halfSize = true;
    const [small, large] = await renditionKeys('half-stored');
    const put = fixture.objects.put.bind(fixture.objects);
    const stored: string[] = [];
    let failures = 1;
    fixture.objects.put = async (key, ...rest) => {
      if (key === small && failures-- > 0) throw new Error('socket hang up');
      stored.push(key);
      return put(key, ...rest);
    };
    fixture.fetcher.script('https://img.example.com/r/b.png', pngBytes('half-stored'));
    const created = await createProduct(fixture, aNewProduct(fixture.user.id, { product_images: ['https://img.example.com/r/b.png'] }));
    if (!created.ok) throw new Error('not created');

    const product = await fixture.settled(created.value.product.id);
    expect(product.images[0]).toMatchObject({ status: 'done', attempts: 2 });
    // The first attempt stored the large one, then deleted it; the retry stored both.
    expect(stored).toEqual([large, small, large]);
    expect(fixture.objects.keys().sort()).toEqual([small, large].sort());
  });
});

describe('source dedupe', () => {
  const url = (tag: string) => `https://img.example.com/dedupe/${tag}.png`;

  it('reuses the renditions of an identical source in another product, compressing once, and says so', async () => {
    fixture = await pipelineFixture();
    fixture.compressor.halfSize = true;
    fixture.fetcher.script(url('a'), pngBytes('same')).script(url('b'), pngBytes('same'));
    const first = await createProduct(fixture, aNewProduct(fixture.user.id, { product_images: [url('a')] }));
    if (!first.ok) throw new Error('not created');
    const one = await fixture.settled(first.value.product.id);
    const second = await createProduct(fixture, aNewProduct(fixture.user.id, { product_images: [url('b')] }));
    if (!second.ok) throw new Error('not created');
    const two = await fixture.settled(second.value.product.id);

    expect(fixture.compressor.calls).toBe(1);
    expect(fixture.observed.compressions).toBe(1);
    expect(fixture.observed.jobs).toEqual(['done', 'done']);
    expect(one.images[0]).toMatchObject({ reused: false });
    const { id: _a, source_url: _sa, reused: _ra, ...firstImage } = one.images[0]!;
    const { id: _b, source_url: _sb, reused, ...secondImage } = two.images[0]!;
    expect(reused).toBe(true);
    expect(secondImage).toEqual(firstImage);
    expect(two.compressed_product_images).toEqual(one.compressed_product_images);
  });

  it('compresses every source when dedupe is off', async () => {
    fixture = await pipelineFixture({ dedupe: false });
    fixture.fetcher.script(url('h'), pngBytes('off')).script(url('i'), pngBytes('off'));
    const created = await createProduct(fixture, aNewProduct(fixture.user.id, { product_images: [url('h')] }));
    if (!created.ok) throw new Error('not created');
    await fixture.settled(created.value.product.id);
    const again = await createProduct(fixture, aNewProduct(fixture.user.id, { product_images: [url('i')] }));
    if (!again.ok) throw new Error('not created');
    expect((await fixture.settled(again.value.product.id)).images[0]).toMatchObject({ status: 'done', reused: false });
    expect(fixture.observed.compressions).toBe(2);
  });

  it('compresses again when the settings differ (another fingerprint)', async () => {
    fixture = await pipelineFixture();
    fixture.fetcher.script(url('c'), pngBytes('settings')).script(url('d'), pngBytes('settings'));
    const first = await createProduct(fixture, aNewProduct(fixture.user.id, { product_images: [url('c')] }));
    if (!first.ok) throw new Error('not created');
    await fixture.settled(first.value.product.id);
    Object.defineProperty(fixture.compressor, 'fingerprint', { value: 'marker-v2' });
    const second = await createProduct(fixture, aNewProduct(fixture.user.id, { product_images: [url('d')] }));
    if (!second.ok) throw new Error('not created');
    expect((await fixture.settled(second.value.product.id)).images[0]).toMatchObject({ status: 'done', reused: false });
    expect(fixture.observed.compressions).toBe(2);
  });

  it('keeps every shared object when one product is deleted, and removes them with the last', async () => {
    fixture = await pipelineFixture();
    fixture.compressor.halfSize = true;
    fixture.fetcher.script(url('e'), pngBytes('shared')).script(url('f'), pngBytes('shared'));
    const first = await createProduct(fixture, aNewProduct(fixture.user.id, { product_images: [url('e')] }));
    if (!first.ok) throw new Error('not created');
    await fixture.settled(first.value.product.id);
    const second = await createProduct(fixture, aNewProduct(fixture.user.id, { product_images: [url('f')] }));
    if (!second.ok) throw new Error('not created');
    await fixture.settled(second.value.product.id);
    const keys = (await renditionKeys('shared')).sort();
    expect(fixture.objects.keys().sort()).toEqual(keys);

    // Each object.delete task asks for a lease; referenced by the other product, it is refused.
    const refused: string[] = [];
    const begin = fixture.references.beginDeletion.bind(fixture.references);
    fixture.references.beginDeletion = async (key, leaseMs) => {
      const token = await begin(key, leaseMs);
      if (token === null) refused.push(key);
      return token;
    };
    await deleteProduct(fixture, first.value.product.id);
    await eventually(() => expect(refused.sort()).toEqual(keys));
    expect(fixture.objects.keys().sort()).toEqual(keys);

    // After the delete the source is still known: a third product reuses it again.
    fixture.fetcher.script(url('g'), pngBytes('shared'));
    const third = await createProduct(fixture, aNewProduct(fixture.user.id, { product_images: [url('g')] }));
    if (!third.ok) throw new Error('not created');
    expect((await fixture.settled(third.value.product.id)).images[0]).toMatchObject({ reused: true });

    await deleteProduct(fixture, second.value.product.id);
    await deleteProduct(fixture, third.value.product.id);
    await eventually(() => expect(fixture.objects.keys()).toEqual([]));
    expect(fixture.observed.compressions).toBe(1);
  });
});

describe('source dedupe, when the image changes meanwhile', () => {
  it('ends the job as superseded without compressing', async () => {
    fixture = await pipelineFixture();
    fixture.jobs.reuse = async () => ({ type: 'moot' });
    fixture.fetcher.script('https://img.example.com/dedupe/moot.png', pngBytes('moot'));
    const created = await createProduct(fixture, aNewProduct(fixture.user.id, { product_images: ['https://img.example.com/dedupe/moot.png'] }));
    if (!created.ok) throw new Error('not created');
    await eventually(() => expect(fixture.observed.jobs).toEqual(['superseded']));
    expect(fixture.compressor.calls).toBe(0);
    expect(fixture.observed.compressions).toBe(0);
  });
});
