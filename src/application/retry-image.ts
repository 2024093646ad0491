import { ADMIN, domainError, err, ok, type Actor, type DomainError, type Product, type ProductImage, type Result } from '../domain/index.js';
import { forbidden } from './forbidden.js';
import { productNotFound } from './not-found.js';
import { productChanged, type ProductWriteCache } from './product-cache.js';
import type { ProductRepo, WriteContext } from './ports/product-repo.js';

/** Queues a failed image again (a user key: its own user's products only). */
export async function retryImage(
  deps: { products: Pick<ProductRepo, 'retryImage' | 'findById'>; cache: ProductWriteCache },
  productId: number,
  imageId: number,
  { actor = ADMIN, ...context }: WriteContext & { actor?: Actor } = {},
): Promise<Result<{ product: Product; image: ProductImage }, DomainError>> {
  if (actor.kind === 'user') {
    const current = await deps.products.findById(productId);
    if (!current) return err(productNotFound(productId));
    if (current.user_id !== actor.userId) return err(forbidden("retry another user's images"));
  }
  const retried = await deps.products.retryImage(productId, imageId, context);
  if (retried.ok) {
    const { product } = retried.value;
    await productChanged(deps.cache, { id: productId, user_id: product.user_id, version: product.version });
    return ok(retried.value);
  }
  if (retried.error === 'product.not_found') return err(productNotFound(productId));
  if (retried.error === 'image.not_found') return err(domainError('image.not_found', `Product ${productId} has no image ${imageId}.`));
  return err(domainError('image.not_failed', `Image ${imageId} has not failed: only a failed image can be retried.`));
}
