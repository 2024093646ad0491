import { err, ok, type DomainError, type Result } from '../domain/index.js';
import { productNotFound } from './not-found.js';
import { productDeleted } from './product-cache.js';
import type { Cache } from './ports/cache.js';
import type { ProductRepo, WriteContext } from './ports/product-repo.js';

/** Removes a product and its images. */
export async function deleteProduct(
  deps: { products: Pick<ProductRepo, 'delete'>; cache: Pick<Cache, 'invalidate'> },
  id: number,
  context: WriteContext = {},
): Promise<Result<void, DomainError>> {
  if (!(await deps.products.delete(id, context))) return err(productNotFound(id));
  await productDeleted(deps.cache, id);
  return ok(undefined);
}
