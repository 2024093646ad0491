/** What the worker needs to process one image, loaded fresh for each delivery. */
export interface ImageWork {
  readonly image_id: number;
  readonly product_id: number;
  /** The product's owner, whose list pages every step of the job changes. */
  readonly user_id: number;
  /** Bumped each time the image is queued anew; a job for another version has no effect. */
  readonly version: number;
  readonly source_url: string;
  /** Set for uploaded images: the original's object key, read instead of fetching the URL. */
  readonly source_key: string | null;
  /** Attempts so far, this one included. */
  readonly attempts: number;
  /** The product's version after this start (it shows the image as processing). */
  readonly product_version: number;
}

import type { Placeholder, Rendition } from './product.js';

/** A rendition with the object key it is stored under. */
export interface StoredRendition extends Rendition {
  readonly key: string;
}

/** The stored result of a finished image. */
export interface ImageResult {
  /** Content-addressed object key of the compressed bytes. */
  readonly key: string;
  readonly url: string;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
  readonly format: string;
  /** Every rendition, the one at `key` included, sorted by width. */
  readonly renditions: readonly StoredRendition[];
  readonly placeholder: Placeholder;
  /** SHA-256 of the source bytes and the compressor's settings, for reuse by an identical source; null when unknown. */
  readonly source_digest: string | null;
  readonly reused: boolean;
}

/** The public renditions of a result (without their keys), sorted by width. */
export const publicRenditions = (renditions: readonly StoredRendition[]): Rendition[] =>
  renditions.map(({ width, height, format, bytes, url }) => ({ width, height, format, bytes, url })).sort((a, b) => a.width - b.width || a.format.localeCompare(b.format));

/** What a finished job writes on its image row: done, the result, no error. */
export const finishedImage = (result: ImageResult) => ({
  status: 'done' as const,
  compressed_url: result.url,
  compressed_key: result.key,
  width: result.width,
  height: result.height,
  bytes: result.bytes,
  format: result.format,
  error: null,
  renditions: publicRenditions(result.renditions),
  rendition_keys: [...new Set(result.renditions.map((rendition) => rendition.key))],
  placeholder: result.placeholder,
  source_digest: result.source_digest,
  reused: result.reused,
});
