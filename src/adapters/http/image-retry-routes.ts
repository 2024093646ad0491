import { retryImage, type ApiDeps } from '../../application/index.js';
import { parseId } from '../../domain/index.js';
import { actorOf } from './authentication.js';
import { createRouter } from './create-router.js';
import { imageRetryOperations as op } from './operations/image-retry-operations.js';
import { pathId } from './path-id.js';
import { ProblemError, unwrap } from './problem.js';

/** POST /products/{id}/images/{imageId}/retry. */
export function imageRetryRoutes(deps: Pick<ApiDeps, 'products' | 'cache'>) {
  return createRouter().openapi(op.retry, async (c) => {
    const { id, imageId } = c.req.valid('param');
    const productId = pathId(id, 'product');
    const image = parseId(imageId);
    if (image === null) throw new ProblemError('image.not_found', `Product ${productId} has no image ${imageId.slice(0, 40)}.`);
    const retried = unwrap(await retryImage(deps, productId, image, { actor: actorOf(c), requestId: c.var.requestId }));
    return c.json({ ...retried.image }, 202, {});
  });
}
