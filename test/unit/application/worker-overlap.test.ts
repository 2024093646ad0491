import { afterEach, describe, expect, it } from 'vitest';
import { createProduct, type CompressedRenditions, type ImageCompressor } from '../../../src/application/index.js';
import { permanentFailure } from '../../../src/domain/index.js';
import { eventually } from '../../support/eventually.js';
import { aNewProduct } from '../../support/mothers.js';
import { pngBytes, type MarkerCompressor } from '../../support/pipeline-fakes.js';
import { pipelineFixture } from './pipeline-fixture.js';

let fixture: Awaited<ReturnType<typeof pipelineFixture>>;
afterEach(async () => {
  await gate.open();
  await fixture.close();
});

/** A compressor whose runs wait until the test opens the gate; counts how many run at once. */
class GatedCompressor implements ImageCompressor {
  readonly fingerprint: string;
  running = 0;
  mostAtOnce = 0;
  started = 0;
  #waiters: (() => void)[] = [];
  #open = false;

  constructor(private readonly inner: MarkerCompressor) {
    this.fingerprint = inner.fingerprint;
  }

  async renditions(source: Uint8Array): Promise<CompressedRenditions> {
    this.started += 1;
    this.running += 1;
    this.mostAtOnce = Math.max(this.mostAtOnce, this.running);
    try {
      if (!this.#open) await new Promise<void>((resolve) => this.#waiters.push(resolve));
      return await this.inner.renditions(source);
    } finally {
      this.running -= 1;
    }
  }

  async open(): Promise<void> {
    this.#open = true;
    for (const wake of this.#waiters.splice(0)) wake();
  }
}

let gate: { open(): Promise<void> } = { open: async () => undefined };
const gated = (inner: MarkerCompressor) => {
  const compressor = new GatedCompressor(inner);
  gate = compressor;
  return compressor;
};

const urls = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `https://img.example.com/${tag}/${i}.png`);

async function submit(images: readonly string[]): Promise<number> {
  images.forEach((url, i) => fixture.fetcher.script(url, pngBytes(`overlap-${url}-${i}`)));
  const created = await createProduct(fixture, aNewProduct(fixture.user.id, { product_images: [...images] }));
  if (!created.ok) throw new Error('not created');
  return created.value.product.id;
}

describe('the worker overlapping downloads with compression', () => {
  it('downloads the next sources while one compresses, and compresses no more at once than it has CPU slots', async () => {
    fixture = await pipelineFixture({ prefetch: 4, overlap: { cpuSlots: 1, maxBytesInFlight: 10_000, maxSourceBytes: 1_000 }, compressor: gated });
    const compressor = gate as GatedCompressor;
    const id = await submit(urls(4, 'slots'));
    // One compression holds the only slot; the other three sources are already downloaded.
    // A download is recorded before its compression starts: wait for both. The gate is shut, so a
    // second compression could only start by taking a slot there is not, and would fail this.
    await eventually(() => expect([fixture.fetcher.calls.length, compressor.started, compressor.running]).toEqual([4, 1, 1]));
    await compressor.open();
    const product = await fixture.settled(id);
    expect(product.images.map((image) => image.status)).toEqual(['done', 'done', 'done', 'done']);
    expect(compressor.mostAtOnce).toBe(1);
    expect(fixture.observed.compressions).toBe(4);
  });

  it('starts no download that could pass the bytes in flight, whatever the prefetch', async () => {
    // Room for one largest source: the next download waits until the job before it is stored.
    fixture = await pipelineFixture({ prefetch: 4, overlap: { cpuSlots: 4, maxBytesInFlight: 1_000, maxSourceBytes: 1_000 }, compressor: gated });
    const compressor = gate as GatedCompressor;
    const id = await submit(urls(3, 'bytes'));
    await eventually(() => expect(compressor.started).toBe(1));
    // Every job has started (its image is processing); give them turns to start a download.
    await eventually(async () => expect((await fixture.products.findById(id))?.images.map((image) => image.status)).toEqual(['processing', 'processing', 'processing']));
    for (let turn = 0; turn < 10; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(fixture.fetcher.calls).toHaveLength(1);
    await compressor.open();
    const product = await fixture.settled(id);
    expect(product.images.map((image) => image.status)).toEqual(['done', 'done', 'done']);
    expect(compressor.mostAtOnce).toBe(1);
  });

  it('gives a failed download its bytes back, so the next jobs still run', async () => {
    fixture = await pipelineFixture({ prefetch: 4, overlap: { cpuSlots: 1, maxBytesInFlight: 1_000, maxSourceBytes: 1_000 } });
    const [broken, ...good] = urls(3, 'failed');
    const id = await submit(good);
    fixture.fetcher.script(broken!, permanentFailure('image.not_an_image', 'not an image'));
    const other = await createProduct(fixture, aNewProduct(fixture.user.id, { product_images: [broken!] }));
    if (!other.ok) throw new Error('not created');
    expect((await fixture.settled(other.value.product.id)).images[0]?.status).toBe('failed');
    expect((await fixture.settled(id)).images.map((image) => image.status)).toEqual(['done', 'done']);
  });
});
