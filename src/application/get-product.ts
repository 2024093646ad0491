import { err, ok, type DomainError, type Product, type Result } from '../domain/index.js';
import { productNotFound } from './not-found.js';
import type { ProductRepo } from './ports/product-repo.js';

/** The product with its images and their processing state. */
export async function getProduct(
  deps: { products: Pick<ProductRepo, 'findById'> },
  id: number,
): Promise<Result<Product, DomainError>> {
  const product = await deps.products.findById(id);
  return product ? ok(product) : err(productNotFound(id));
}
