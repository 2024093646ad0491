import type {
  ImageResult,
  ImageWork,
  NewProduct,
  Product,
  ProductChanges,
  ProductImage,
  Result,
} from '../../domain/index.js';

/** Filters of the product list; every bound is inclusive. */
export interface ProductQuery {
  readonly user_id: number;
  readonly price_min?: number;
  readonly price_max?: number;
  /** Case-insensitive substring of `product_name`. */
  readonly name_contains?: string;
  /** Keyset position: only products with a smaller id (the list is newest first). */
  readonly after_id?: number;
  readonly limit: number;
}

/** A client's retry token and the canonical text of the request it guards. */
export interface IdempotencyKey {
  readonly key: string;
  readonly fingerprint: string;
}

/** Who caused a write: carried into the outbox rows so pipeline logs name the request. */
export interface WriteContext {
  readonly requestId?: string | undefined;
}

export interface CreateOptions extends WriteContext {
  readonly idempotency?: IdempotencyKey | undefined;
}

/** An image added by upload: its original is already stored under `source_key`. */
export interface UploadedImage {
  readonly source_url: string;
  readonly source_key: string;
}

export interface CreatedProduct {
  readonly product: Product;
  /** True when an earlier request with the same key created it and nothing was written now. */
  readonly replayed: boolean;
}

/** Products with their image rows, stored so that each call is one atomic change. */
export interface ProductRepo {
  /**
   * Stores the product, one pending image row per URL and one `image.process` outbox message per
   * image in one transaction. With a key, the key is recorded in that transaction; a key recorded
   * in the last 24 hours with the same fingerprint returns the product as first created
   * (`replayed`) and writes nothing, and with another fingerprint fails with
   * `idempotency.key_reused`.
   */
  create(
    product: NewProduct,
    options?: CreateOptions,
  ): Promise<Result<CreatedProduct, 'user.not_found' | 'idempotency.key_reused'>>;

  /** The product with its images, or null when there is none. */
  findById(id: number): Promise<Product | null>;

  /** Products matching the query, newest (highest id) first, at most `limit`. */
  list(query: ProductQuery): Promise<Product[]>;

  /**
   * Applies the given fields and bumps `updated_at`; a new `product_images` keeps the rows of URLs
   * still listed (moved to their new position), adds pending rows with `image.process` messages
   * and drops the rest with `object.delete` messages for their stored objects. Null when the
   * product does not exist.
   */
  update(id: number, changes: ProductChanges, context?: WriteContext): Promise<Product | null>;

  /** Removes the product and its images, queueing `object.delete` for their objects; false when there was none. */
  delete(id: number, context?: WriteContext): Promise<boolean>;

  /** Appends an uploaded image as the last position, pending, with its `image.process` message. */
  addImage(
    productId: number,
    image: UploadedImage,
    context?: WriteContext,
  ): Promise<Result<{ product: Product; image: ProductImage }, 'product.not_found' | 'product.too_many_images'>>;

  /**
   * Marks the image `processing` and counts the attempt, if it still exists at `version` and is
   * not `done`; returns what the worker needs (with the product's new version), or null when the
   * job is moot (ack it).
   */
  startImage(imageId: number, version: number): Promise<ImageWork | null>;

  /**
   * Records the finished image if it is still at `version`, so the product lists its compressed
   * URL, and returns the product's new version; null when the image was replaced, deleted or
   * finished meanwhile. Serialized with `whenUnreferenced` on the same key.
   */
  completeImage(imageId: number, version: number, result: ImageResult): Promise<number | null>;

  /**
   * Records a failed attempt's reason if the image is still at `version`: `final` marks it
   * `failed`; otherwise it goes back to `pending` to await its retry. Returns the product's new
   * version, or null when the image changed meanwhile.
   */
  recordImageFailure(imageId: number, version: number, reason: string, final: boolean): Promise<number | null>;

  /**
   * Runs `action` (deleting the object) only if no image references `key` as its compressed or
   * source object, holding a per-key lock that `completeImage` waits for. True if it ran.
   */
  whenUnreferenced(key: string, action: () => Promise<void>): Promise<boolean>;

  /**
   * Queues every image that is not `done` or `failed` anew (new version, new outbox message):
   * for the embedded in-process queue, whose in-flight jobs die with the process. Returns how many.
   */
  requeueUnfinishedImages(): Promise<number>;
}
