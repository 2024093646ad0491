import { deleteObject } from './delete-object.js';
import { processImage, type ProcessImageDeps } from './process-image.js';
import type { Delivery, TaskHandler, TaskOutcome } from './task-handler.js';
import { traced } from './traced.js';

/**
 * The worker's handler: routes each delivery to its use case, in a span that continues the trace
 * of the request that caused the task (its `traceparent`).
 */
export function handleTask(deps: ProcessImageDeps): TaskHandler {
  return (delivery: Delivery): Promise<TaskOutcome> => {
    const task = delivery.task;
    const attributes = { 'messaging.message.id': delivery.id, 'task.attempt': delivery.attempt, ...(delivery.request_id !== undefined && { 'request.id': delivery.request_id }) };
    return traced(deps.tracer, task.type, { parent: delivery.traceparent, kind: 'consumer', attributes }, async (span) => {
      const outcome = await route(deps, delivery);
      span.setAttributes({ 'task.outcome': outcome.type });
      return outcome;
    });
  };
}

function route(deps: ProcessImageDeps, delivery: Delivery): Promise<TaskOutcome> {
  const task = delivery.task;
  if (task.type === 'image.process') return processImage(deps, delivery, task);
  const logger = deps.logger.child({ task_id: delivery.id, attempt: delivery.attempt, request_id: delivery.request_id });
  return deleteObject({ ...deps, logger }, task.key);
}
