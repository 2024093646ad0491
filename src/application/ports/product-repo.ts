import type { NewProduct, Product, ProductChanges, Result } from '../../domain/index.js';

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

export interface CreatedProduct {
  readonly product: Product;
  /** True when an earlier request with the same key created it and nothing was written now. */
  readonly replayed: boolean;
}

/** Products with their image rows, stored so that each call is one atomic change. */
export interface ProductRepo {
  /**
   * Stores the product and one pending image row per URL in one transaction. With a key, the key
   * is recorded in that transaction; a key recorded in the last 24 hours with the same
   * fingerprint returns the product as first created (`replayed`) and writes nothing, and with
   * another fingerprint fails with `idempotency.key_reused`.
   */
  create(
    product: NewProduct,
    idempotency?: IdempotencyKey,
  ): Promise<Result<CreatedProduct, 'user.not_found' | 'idempotency.key_reused'>>;

  /** The product with its images, or null when there is none. */
  findById(id: number): Promise<Product | null>;

  /** Products matching the query, newest (highest id) first, at most `limit`. */
  list(query: ProductQuery): Promise<Product[]>;

  /**
   * Applies the given fields and bumps `updated_at`; a new `product_images` keeps the rows of URLs
   * still listed (moved to their new position), adds pending rows and drops the rest. Null when
   * the product does not exist.
   */
  update(id: number, changes: ProductChanges): Promise<Product | null>;

  /** Removes the product and its images; false when there was none. */
  delete(id: number): Promise<boolean>;
}
