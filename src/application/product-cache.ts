import type { Product } from '../domain/index.js';
import type { Cache } from './ports/cache.js';

/** The cache key of one product. */
export const productCacheKey = (id: number): string => `product:${id}`;

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

/** After a committed change: readers that loaded an older version can no longer cache it. */
export const productChanged = (cache: Pick<Cache, 'invalidate'>, id: number, version: number): Promise<void> =>
  cache.invalidate(productCacheKey(id), version);

/** After a committed delete. */
export const productDeleted = (cache: Pick<Cache, 'invalidate'>, id: number): Promise<void> =>
  cache.invalidate(productCacheKey(id), DELETED_VERSION);
