import type {
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

/** Who caused a write: carried into the outbox rows so pipeline logs name the request and its trace. */
export interface WriteContext {
  readonly requestId?: string | undefined;
  /** W3C `traceparent` of the request's span. */
  readonly traceparent?: string | undefined;
}

export interface CreateOptions extends WriteContext {
  readonly idempotency?: IdempotencyKey | undefined;
}

/** An image added by upload: its original is already stored under `source_key`. */
export interface UploadedImage {
  readonly source_url: string;
  readonly source_key: string;
}

/** The product after an upload, and the image the upload is. */
export interface AddedImage {
  readonly product: Product;
  readonly image: ProductImage;
  /** False when the product already had the image: nothing was written. */
  readonly added: boolean;
}

export interface CreatedProduct {
  readonly product: Product;
  /** True when an earlier request with the same key created it and nothing was written now. */
  readonly replayed: boolean;
}

/** One product of a bulk create, with its own retry token when the request has one. */
export interface BulkItem {
  readonly product: NewProduct;
  readonly idempotency?: IdempotencyKey | undefined;
}

/** What became of one bulk item: created (or replayed), or why not. */
export type BulkOutcome = Result<CreatedProduct, 'user.not_found' | 'idempotency.key_reused' | 'bulk.not_created'>;

export interface CreateManyOptions extends WriteContext {
  /** All or nothing: when any item fails, nothing is written (every outcome says why or is `bulk.not_created`). */
  readonly atomic?: boolean;
}

/**
 * The API's side of the catalog: products with their image rows, each call one atomic change
 * that also writes its outbox messages. The worker's steps live in ImageJobs.
 */
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

  /**
   * Stores many products the way `create` stores one, in one transaction with set-based
   * statements: the products, their pending image rows, every `image.process` outbox message and
   * the items' keys. Outcomes are in `items` order; an item whose user does not exist or whose key
   * was used with another product fails alone (or, `atomic`, makes the call write nothing: its
   * outcomes are then all errors, the others' `bulk.not_created`).
   */
  createMany(items: readonly BulkItem[], options?: CreateManyOptions): Promise<BulkOutcome[]>;
  /** The product with its images, or null when there is none. */
  findById(id: number): Promise<Product | null>;

  /** One image row by its id (its status and renditions), or null when there is none. */
  findImage(imageId: number): Promise<ProductImage | null>;

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

  /**
   * Appends an uploaded image as the last position, pending, with its `image.process` message;
   * when the product already has an image of this source key or URL, returns that one instead
   * (`added: false`) and writes nothing. Serialized with ObjectReferences.beginDeletion on
   * `image.source_key`, and with the product's other writes.
   */
  addImage(
    productId: number,
    image: UploadedImage,
    context?: WriteContext,
  ): Promise<Result<AddedImage, 'product.not_found' | 'product.too_many_images'>>;

  /**
   * Queues a failed image of the product again: pending, error cleared, a new version and its
   * `image.process` message, the product bumped, with a `product.updated` event. Only a `failed`
   * image can be retried (`image.not_failed` otherwise).
   */
  retryImage(
    productId: number,
    imageId: number,
    context?: WriteContext,
  ): Promise<Result<{ product: Product; image: ProductImage }, 'product.not_found' | 'image.not_found' | 'image.not_failed'>>;
}
