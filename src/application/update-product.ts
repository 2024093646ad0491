import {
  checkRecord,
  err,
  ok,
  PRODUCT_CHANGES,
  PRODUCT_REPLACEMENT,
  validationFailed,
  type DomainError,
  type Product,
  type ProductChanges,
  type Result,
} from '../domain/index.js';
import { productNotFound } from './not-found.js';
import { productChanged } from './product-cache.js';
import type { Cache } from './ports/cache.js';
import type { ProductRepo, WriteContext } from './ports/product-repo.js';

/**
 * `replace` (PUT) needs every mutable field; `merge` (PATCH) changes the fields given, at least
 * one. `changes` is taken as received and checked here. The owner (`user_id`) is not a field
 * either accepts: it never changes.
 */
export async function updateProduct(
  deps: { products: Pick<ProductRepo, 'update'>; cache: Pick<Cache, 'invalidate'> },
  id: number,
  changes: unknown,
  mode: 'replace' | 'merge',
  context: WriteContext = {},
): Promise<Result<Product, DomainError>> {
  const checked = checkRecord(changes, mode === 'replace' ? PRODUCT_REPLACEMENT : PRODUCT_CHANGES);
  if (!checked.ok) return err(validationFailed(checked.error));
  const fields: ProductChanges = checked.value;
  const updated = await deps.products.update(id, fields, context);
  if (!updated) return err(productNotFound(id));
  await productChanged(deps.cache, id, updated.version);
  return ok(updated);
}
