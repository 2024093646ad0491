import { err, ok, type DomainError, type Result } from '../domain/index.js';
import { productNotFound } from './not-found.js';
import type { ProductRepo } from './ports/product-repo.js';

/** Removes a product and its images. */
export async function deleteProduct(
  deps: { products: ProductRepo },
  id: number,
): Promise<Result<void, DomainError>> {
  return (await deps.products.delete(id)) ? ok(undefined) : err(productNotFound(id));
}
