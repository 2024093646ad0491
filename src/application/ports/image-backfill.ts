import type { RenderedImage } from '../../domain/index.js';
import type { ChangedProduct } from '../product-cache.js';

/** A done image as the backfill reads it: where it is, its version, and what it was rendered into. */
export interface DoneImage extends RenderedImage {
  readonly id: number;
  readonly product_id: number;
  readonly version: number;
}

/** Which done images a backfill walks: all of them, or those of some products. */
export interface BackfillScope {
  /** Absent: every product. */
  readonly productIds?: readonly number[];
}

/** The operator's `reprocess` command's side of the image rows. */
export interface ImageBackfill {
  /** How many done images the scope holds, for the progress bar's total. */
  countDone(scope: BackfillScope): Promise<number>;

  /** Up to `limit` done images of the scope with ids above `afterId`, in id order. */
  doneImages(scope: BackfillScope, afterId: number, limit: number): Promise<DoneImage[]>;

  /**
   * Queues each image again (new version, `pending`, its `image.process` task in the outbox, its
   * product's version bumped) if it is still done at the given version; returns the products
   * changed, for cache invalidation, and how many images were queued.
   */
  requeue(images: readonly Pick<DoneImage, 'id' | 'version'>[]): Promise<{ queued: number; products: ChangedProduct[] }>;
}
