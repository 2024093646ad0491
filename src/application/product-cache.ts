import type { Product } from '../domain/index.js';
import type { Cache } from './ports/cache.js';
import type { ScopedCache } from './ports/scoped-cache.js';

/** What every product's cache key starts with. */
export const productCacheKeyPrefix = 'product:';

/** The cache key of one product. */
export const productCacheKey = (id: number): string => `${productCacheKeyPrefix}${id}`;

// Ids are never reused, so a deleted product's mark may outrank every version it had.
const DELETED_VERSION = Number.MAX_SAFE_INTEGER;
// A cached "no such product": version 0 ranks below the 1 every new product starts at, so the
// invalidation at creation refuses and replaces it.
export const ABSENT_VERSION = 0;
const ABSENT = 'null';

/** The cache text of a product, or of its absence. */
export const encodeProduct = (product: Product | null): string => (product ? JSON.stringify(product) : ABSENT);

/** Reads back what encodeProduct wrote, reviving the dates. */
export function decodeProduct(text: string): Product | null {
  if (text === ABSENT) return null;
  const raw = JSON.parse(text) as Product & { created_at: string; updated_at: string };
  return { ...raw, created_at: new Date(raw.created_at), updated_at: new Date(raw.updated_at) };
}

/** The cache scope of one user's product list: every change to any of the user's products bumps it. */
export const userProductsScope = (userId: number): string => `products-of:${userId}`;

/** What a product write invalidates: the product's entry and its user's list pages. */
export type ProductWriteCache = Pick<Cache, 'invalidate'> & Pick<ScopedCache, 'bump'>;

/** The product a committed change touched. */
export interface ChangedProduct {
  readonly id: number;
  readonly user_id: number;
  readonly version: number;
}

/**
 * After a committed change: readers that loaded an older version can no longer cache it, and the
 * user's list pages move to a new generation.
 */
export const productChanged = async (cache: ProductWriteCache, product: ChangedProduct): Promise<void> => {
  await Promise.all([cache.invalidate(productCacheKey(product.id), product.version), cache.bump(userProductsScope(product.user_id))]);
};

/** After committed changes of many products (a bulk create): each entry, and one bump per user. */
export const productsChanged = async (cache: ProductWriteCache, products: readonly ChangedProduct[]): Promise<void> => {
  const userIds = new Set(products.map((product) => product.user_id));
  await Promise.all([
    ...products.map((product) => cache.invalidate(productCacheKey(product.id), product.version)),
    ...[...userIds].map((userId) => cache.bump(userProductsScope(userId))),
  ]);
};

/** After a committed delete. */
export const productDeleted = async (cache: ProductWriteCache, product: Omit<ChangedProduct, 'version'>): Promise<void> => {
  await Promise.all([cache.invalidate(productCacheKey(product.id), DELETED_VERSION), cache.bump(userProductsScope(product.user_id))]);
};
