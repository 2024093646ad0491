import type { ImageResult, ImageWork } from '../../domain/index.js';

/**
 * The worker's steps on one image row, each guarded by the image's version so that a duplicate,
 * late or redelivered job has no effect. Every applied step bumps the product's version and
 * returns the new one, for cache invalidation.
 */
export interface ImageJobs {
  /**
   * Marks the image `processing` and counts the attempt, if it still exists at `version` and is
   * not `done`; returns what the worker needs, or null when the job is moot (ack it).
   */
  start(imageId: number, version: number): Promise<ImageWork | null>;

  /**
   * Records the finished image if it is still at `version`, so the product lists its compressed
   * URL and renditions; null when the image was replaced, deleted or finished meanwhile.
   * Serialized with ObjectReferences.beginDeletion on `result.key` and every rendition's key.
   */
  complete(imageId: number, version: number, result: ImageResult): Promise<number | null>;

  /**
   * Finishes the image with the renditions of another done image whose source had the same
   * `digest` (same bytes, same settings), marked `reused`, if it is still at `version`. `none`
   * when there is no such image, or a deletion of one of its objects is in progress; `moot` when
   * this image changed meanwhile. Takes the key locks of ObjectReferences.beginDeletion on the
   * donor's keys and rechecks the donor under them: while it references its keys no deletion can
   * begin, so the objects outlive the commit without being stored again.
   */
  reuse(imageId: number, version: number, digest: string): Promise<ReuseOutcome>;

  /**
   * Records a failed attempt's reason if the image is still at `version`: `final` marks it
   * `failed`; otherwise it goes back to `pending` to await its retry. With `final` and
   * `releaseSource`, an uploaded original is let go in the same change (the row forgets its key
   * and the object's deletion is queued): for bytes no retry could ever process. Null when the
   * image changed meanwhile.
   */
  fail(imageId: number, version: number, reason: string, final: boolean, releaseSource?: boolean): Promise<number | null>;
}

/** What ImageJobs.reuse did. */
export type ReuseOutcome = { readonly type: 'reused'; readonly product_version: number } | { readonly type: 'none' } | { readonly type: 'moot' };

/** Recovery for a queue whose in-flight jobs die with the process (the embedded default). */
export interface ImageRecovery {
  /**
   * Queues every image that is not `done` or `failed` anew (new version, new outbox message) and
   * returns how many. It locks rows across products: run it at startup, before writes arrive.
   */
  requeueUnfinished(): Promise<number>;
}
