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
