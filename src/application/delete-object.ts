import { deleteUnreferenced, type ObjectLifecycleDeps, type ObjectLifecycleOptions } from './object-lifecycle.js';
import type { Logger } from './ports/index.js';
import type { TaskOutcome } from './task-handler.js';

/**
 * Removes a stored object that a delete or an image replacement left behind, unless another
 * image still references it (keys are content-addressed, so products can share one).
 */
export async function deleteObject(
  deps: ObjectLifecycleDeps & { logger: Logger; lifecycle?: ObjectLifecycleOptions },
  key: string,
): Promise<TaskOutcome> {
  const deleted = await deleteUnreferenced(deps, key, deps.lifecycle);
  deps.logger.info({ key, deleted }, deleted ? 'object deleted' : 'object kept: still referenced or being deleted');
  return { type: 'done' };
}
