import type { Logger, ObjectStore, ProductRepo, TaskOutcome } from './ports/index.js';

/**
 * Removes a stored object that a delete or an image replacement left behind, unless another
 * image still references it (keys are content-addressed, so products can share one).
 */
export async function deleteObject(
  deps: { products: ProductRepo; objects: ObjectStore; logger: Logger },
  key: string,
): Promise<TaskOutcome> {
  const deleted = await deps.products.whenUnreferenced(key, () => deps.objects.delete(key));
  deps.logger.info({ key, deleted }, deleted ? 'object deleted' : 'object kept: still referenced');
  return { type: 'done' };
}
