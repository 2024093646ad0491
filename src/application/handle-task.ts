import { deleteObject } from './delete-object.js';
import { processImage, type ProcessImageDeps } from './process-image.js';
import type { Delivery, TaskHandler, TaskOutcome } from './task-handler.js';

/** The worker's handler: routes each delivery to its use case. */
export function handleTask(deps: ProcessImageDeps): TaskHandler {
  return async (delivery: Delivery): Promise<TaskOutcome> => {
    const task = delivery.task;
    if (task.type === 'image.process') return processImage(deps, delivery, task);
    const logger = deps.logger.child({ task_id: delivery.id, attempt: delivery.attempt, request_id: delivery.request_id });
    return deleteObject({ ...deps, logger }, task.key);
  };
}
