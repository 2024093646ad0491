import { describe, expect, it } from 'vitest';
import { DisabledCache } from '../../../src/adapters/in-process/index.js';
import { reprocessImages, type BackfillScope, type DoneImage, type ImageBackfill, type ReprocessProgress } from '../../../src/application/index.js';

const expected = { widths: [320, 640], formats: ['webp'] };
const rendered = [{ width: 320, format: 'webp' }, { width: 640, format: 'webp' }];
const placeholder = { thumbhash: 'x', color: '#000000' };

/** Done images in memory; requeue marks them pending, as the real one does. */
class FakeBackfill implements ImageBackfill {
  readonly requeued: number[][] = [];
  constructor(readonly images: (DoneImage & { status: string })[]) {}
  #of = (scope: BackfillScope) => this.images.filter((image) => image.status === 'done' && (!scope.productIds || scope.productIds.includes(image.product_id)));
  async countDone(scope: BackfillScope) {
    return this.#of(scope).length;
  }
  async doneImages(scope: BackfillScope, afterId: number, limit: number) {
    return this.#of(scope).filter((image) => image.id > afterId).slice(0, limit);
  }
  async requeue(images: readonly Pick<DoneImage, 'id' | 'version'>[]) {
    this.requeued.push(images.map((image) => image.id));
    const hit = this.images.filter((image) => image.status === 'done' && images.some((wanted) => wanted.id === image.id && wanted.version === image.version));
    for (const image of hit) image.status = 'pending';
    return { queued: hit.length, products: [...new Set(hit.map((image) => image.product_id))].map((id) => ({ id, user_id: 1, version: 9 })) };
  }
}

/** 10 done images of products 1 and 2, every third one already complete. */
const images = () =>
  Array.from({ length: 10 }, (_, i) => ({
    id: i + 1,
    product_id: i < 5 ? 1 : 2,
    version: 1,
    status: 'done',
    renditions: i % 3 === 0 ? rendered : [rendered[1]!],
    placeholder: i % 3 === 0 ? placeholder : null,
  }));

/** A clock that moves only when the backfill sleeps. */
function clock() {
  let now = 0;
  const sleeps: number[] = [];
  return { sleeps, now: () => now, sleep: async (ms: number) => void (sleeps.push(ms), (now += ms)) };
}

class RecordingCache extends DisabledCache {
  readonly invalidated: number[] = [];
  override async invalidate(key: string, version: number) {
    this.invalidated.push(version);
    return super.invalidate(key, version);
  }
}

describe('reprocessImages', () => {
  it('queues the images lacking renditions at the given rate, page by page, and invalidates their products', async () => {
    const backfill = new FakeBackfill(images());
    const cache = new RecordingCache();
    const time = clock();
    const seen: ReprocessProgress[] = [];
    const summary = await reprocessImages(
      { backfill, cache },
      { scope: {}, expected, rate: 4, dryRun: false, pageSize: 4, ...time, onProgress: (progress) => void seen.push({ ...progress }) },
    );
    expect(summary).toEqual({ total: 10, checked: 10, queued: 6, seconds: 1.5 });
    // Chunks of half a second's worth (2) within a page, each waiting for its turn: 6 images at 4/s take 1.5 s.
    expect(backfill.requeued).toEqual([[2, 3], [5, 6], [8], [9]]);
    expect(time.sleeps).toEqual([500, 500, 250, 250]);
    expect(seen.map((progress) => progress.checked)).toEqual([4, 8, 10, 10]);
    expect(cache.invalidated.length).toBeGreaterThan(0);
    // Resumable: a second run finds them pending and queues nothing.
    const again = await reprocessImages({ backfill, cache }, { scope: {}, expected, rate: 4, dryRun: false, ...clock() });
    expect(again).toMatchObject({ total: 4, checked: 4, queued: 0 });
  });

  it('in a dry run counts without queueing, within the scope given; refuses a rate of zero', async () => {
    const backfill = new FakeBackfill(images());
    const time = clock();
    const summary = await reprocessImages({ backfill, cache: new DisabledCache() }, { scope: { productIds: [2] }, expected, rate: 1, dryRun: true, ...time });
    expect(summary).toMatchObject({ total: 5, checked: 5, queued: 3 });
    expect(time.sleeps).toEqual([]);
    expect(backfill.requeued).toEqual([]);
    await expect(reprocessImages({ backfill, cache: new DisabledCache() }, { scope: {}, expected, rate: 0, dryRun: true })).rejects.toThrow(RangeError);
  });
});
