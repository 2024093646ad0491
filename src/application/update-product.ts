import {
  err,
  ok,
  productChangeProblems,
  productProblems,
  validationFailed,
  type DomainError,
  type Product,
  type ProductChanges,
  type ProductFields,
  type Result,
} from '../domain/index.js';
import { productNotFound } from './not-found.js';
import { productChanged } from './product-cache.js';
import type { Cache } from './ports/cache.js';
import type { ProductRepo, WriteContext } from './ports/product-repo.js';

/**
 * `replace` (PUT) needs every mutable field; `merge` (PATCH) changes the fields given.
 * The owner (`user_id`) never changes.
 */
export async function updateProduct(
  deps: { products: ProductRepo; cache: Cache },
  id: number,
  changes: ProductChanges,
  mode: 'replace' | 'merge',
  context: WriteContext = {},
): Promise<Result<Product, DomainError>> {
  const problems = mode === 'replace' ? productProblems(changes) : productChangeProblems(changes);
  if (problems.length > 0) return err(validationFailed(problems));
  const fields: Partial<Record<keyof ProductFields, unknown>> = {};
  for (const name of ['product_name', 'product_description', 'product_images', 'product_price'] as const) {
    if (changes[name] !== undefined) fields[name] = changes[name];
  }
  const updated = await deps.products.update(id, fields as ProductChanges, context);
  if (!updated) return err(productNotFound(id));
  await productChanged(deps.cache, id, updated.version);
  return ok(updated);
}
