import { deleteObject } from './delete-object.js';
import type { CatalogEvent } from './events.js';
import { deliverWebhook } from './deliver-webhook.js';
import { endpointSlots, type EndpointSlots } from './endpoint-slots.js';
import { fanOutEvent, type FanOutEventDeps } from './fan-out-event.js';
import { imageStages, type ImageStageOptions } from './image-stages.js';
import type { SubscribedEndpoint, TaskPublisher, WebhookSender, WebhookTargets } from './ports/index.js';
import { processImage, type ProcessImageDeps } from './process-image.js';
import type { RetryPolicy } from './retry-policy.js';
import type { Delivery, TaskHandler, TaskOutcome } from './task-handler.js';
import { traced } from './traced.js';

/** What the worker needs for events on top of the image pipeline's deps. */
export interface HandleTaskDeps extends ProcessImageDeps {
  readonly publisher: TaskPublisher;
  readonly retry: RetryPolicy;
  /**
   * Endpoints and the signed sender; without them events reach only the live stream. With
   * `maxInFlightPerEndpoint`, deliveries beyond that many to one endpoint at once wait up to
   * `slotWaitMs` for a slot, then are deferred.
   */
  readonly webhooks?:
    | {
        readonly targets: WebhookTargets;
        readonly sender: WebhookSender;
        readonly maxInFlightPerEndpoint?: number | undefined;
        /** How long a delivery waits for one of its endpoint's slots before it is deferred (default 0). */
        readonly slotWaitMs?: number | undefined;
      }
    | undefined;
  readonly stream?: FanOutEventDeps['stream'];
  /**
   * CPU slots and bytes in flight shared by this worker's image jobs; with the consumer taking
   * more deliveries than slots, downloads and uploads overlap compression. Unset, nothing waits.
   */
  readonly overlap?: ImageStageOptions | undefined;
}

const NO_TARGETS: Pick<WebhookTargets, 'subscribedTo'> = { subscribedTo: async () => [] };

/**
 * The worker's handler: routes each delivery to its use case, in a span that continues the trace
 * of the request that caused the task (its `traceparent`).
 */
export function handleTask(deps: HandleTaskDeps): TaskHandler {
  // One set of slots per handler, so per worker; 0 or unset is no cap.
  const max = deps.webhooks?.maxInFlightPerEndpoint;
  const slots = max ? endpointSlots(max) : undefined;
  const imageDeps: ProcessImageDeps = deps.overlap ? { ...deps, stages: imageStages(deps.overlap) } : deps;
  // Compressions wait for their turn inside the image pipeline (holding their CPU slot); every
  // other task waits as a whole, since its CPU is spread over its calls.
  const routed = (delivery: Delivery) =>
    deps.yielding && delivery.task.type !== 'image.process' ? deps.yielding.run(() => route(deps, imageDeps, delivery, slots)) : route(deps, imageDeps, delivery, slots);
  return (delivery: Delivery): Promise<TaskOutcome> => {
    const task = delivery.task;
    const attributes = { 'messaging.message.id': delivery.id, 'task.attempt': delivery.attempt, ...(delivery.request_id !== undefined && { 'request.id': delivery.request_id }) };
    return traced(deps.tracer, task.type, { parent: delivery.traceparent, kind: 'consumer', attributes }, async (span) => {
      const outcome = await routed(delivery);
      span.setAttributes({ 'task.outcome': outcome.type });
      return outcome;
    });
  };
}

function route(deps: HandleTaskDeps, imageDeps: ProcessImageDeps, delivery: Delivery, slots: EndpointSlots | undefined): Promise<TaskOutcome> {
  const task = delivery.task;
  if (task.type === 'image.process') return processImage(imageDeps, delivery, task);
  const logger = deps.logger.child({ task_id: delivery.id, attempt: delivery.attempt, request_id: delivery.request_id });
  // What a delivery needs, whether the fan-out makes it inline or a webhook.deliver task does.
  const delivering = deps.webhooks && { ...deps.webhooks, retry: deps.retry, logger, slots };
  switch (task.type) {
    case 'event.publish': {
      const inline = delivering && {
        retry: deps.retry,
        deliver: (first: Delivery, { id, url, secret }: SubscribedEndpoint, event: CatalogEvent) => deliverWebhook(delivering, first, id, event, { url, secret }),
      };
      return fanOutEvent({ targets: delivering?.targets ?? NO_TARGETS, publisher: deps.publisher, stream: deps.stream, logger, inline }, delivery, task.event);
    }
    case 'webhook.deliver':
      // Queued only by a fan-out that had targets; a worker wired without them retries until one has.
      if (!delivering) return Promise.resolve({ type: 'retry', reason: 'this worker has no webhook sender' });
      return deliverWebhook(delivering, delivery, task.webhook_id, task.event);
    default:
      return deleteObject({ ...deps, logger }, task.key);
  }
}
