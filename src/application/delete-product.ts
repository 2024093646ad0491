import { ADMIN, err, ok, type Actor, type DomainError, type Result } from '../domain/index.js';
import { forbidden } from './forbidden.js';
import { productNotFound } from './not-found.js';
import { productDeleted, type ProductWriteCache } from './product-cache.js';
import type { ProductRepo, WriteContext } from './ports/product-repo.js';

/** Removes a product and its images; a user actor only its own user's (auth.forbidden otherwise). */
export async function deleteProduct(
  deps: { products: Pick<ProductRepo, 'delete' | 'findById'>; cache: ProductWriteCache },
  id: number,
  { actor = ADMIN, ...context }: WriteContext & { actor?: Actor } = {},
): Promise<Result<void, DomainError>> {
  // The owner never changes, so this answer still holds when the delete runs; the owner's list
  // pages are retired after it.
  const current = await deps.products.findById(id);
  if (!current) return err(productNotFound(id));
  if (actor.kind === 'user' && current.user_id !== actor.userId) return err(forbidden("delete another user's product"));
  if (!(await deps.products.delete(id, context))) return err(productNotFound(id));
  await productDeleted(deps.cache, current);
  return ok(undefined);
}
