import { err, ok, type DomainError, type Result } from '../domain/index.js';
import { productNotFound } from './not-found.js';
import type { ProductRepo, WriteContext } from './ports/product-repo.js';

/** Removes a product and its images. */
export async function deleteProduct(
  deps: { products: ProductRepo },
  id: number,
  context: WriteContext = {},
): Promise<Result<void, DomainError>> {
  return (await deps.products.delete(id, context)) ? ok(undefined) : err(productNotFound(id));
}
