import {
  ADMIN,
  checkRecord,
  domainError,
  err,
  ok,
  PRODUCT_CHANGES,
  PRODUCT_REPLACEMENT,
  validationFailed,
  type Actor,
  type DomainError,
  type Product,
  type ProductChanges,
  type Result,
} from '../domain/index.js';
import { forbidden } from './forbidden.js';
import { productNotFound } from './not-found.js';
import { productChanged, type ProductWriteCache } from './product-cache.js';
import type { ProductRepo, WriteContext } from './ports/product-repo.js';

const ownerMismatch = (id: number): DomainError =>
  domainError('product.owner_mismatch', `Product ${id} belongs to another user; a product's owner never changes.`, [
    { path: 'user_id', message: "must be the product's owner" },
  ]);

/**
 * `replace` (PUT) needs every mutable field; `merge` (PATCH) changes the fields given, at least
 * one. `changes` is taken as received and checked here. Either may carry back what a GET
 * returned: the output-only fields are ignored, and `user_id` must name the current owner
 * (`product.owner_mismatch` otherwise), since the owner never changes. A user actor changes its
 * own user's products only (auth.forbidden otherwise); `actor` defaults to the library's caller, an admin.
 */
export async function updateProduct(
  deps: { products: Pick<ProductRepo, 'findById' | 'update'>; cache: ProductWriteCache },
  id: number,
  changes: unknown,
  mode: 'replace' | 'merge',
  { actor = ADMIN, ...context }: WriteContext & { actor?: Actor } = {},
): Promise<Result<Product, DomainError>> {
  const checked = checkRecord(changes, mode === 'replace' ? PRODUCT_REPLACEMENT : PRODUCT_CHANGES);
  if (!checked.ok) return err(validationFailed(checked.error));
  const { user_id: owner, ...fields }: { user_id?: number } & ProductChanges = checked.value;
  // Only a user key or a body that names the owner pays for reading the product first. The owner
  // never changes, so the read cannot go stale before the write; a product deleted in between
  // still makes the write answer not found.
  if (owner !== undefined || actor.kind === 'user') {
    const current = await deps.products.findById(id);
    if (!current) return err(productNotFound(id));
    if (actor.kind === 'user' && current.user_id !== actor.userId) return err(forbidden("change another user's product"));
    if (owner !== undefined && current.user_id !== owner) return err(ownerMismatch(id));
  }
  const updated = await deps.products.update(id, fields, context);
  if (!updated) return err(productNotFound(id));
  await productChanged(deps.cache, updated);
  return ok(updated);
}
