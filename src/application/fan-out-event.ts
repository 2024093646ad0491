import type { CatalogEvent } from './events.js';
import type { Logger } from './ports/logger.js';
import type { TaskPublisher } from './ports/task-publisher.js';
import type { WebhookTargets } from './ports/webhooks.js';
import type { Delivery, TaskOutcome } from './task-handler.js';

export interface FanOutEventDeps {
  readonly targets: Pick<WebhookTargets, 'subscribedTo'>;
  readonly publisher: TaskPublisher;
  readonly logger: Logger;
  /** Live subscribers (GET /events) in this process or across instances; none when absent. */
  readonly stream?: { publish(event: CatalogEvent): Promise<void> } | undefined;
}

/**
 * Hands a committed event to its audiences: one `webhook.deliver` task per subscribed endpoint,
 * so each endpoint's retries and failures stay its own, and the live stream (best effort). A redelivered event
 * is fanned out again; deliveries are at least once, and the message id lets receivers dedupe.
 */
export async function fanOutEvent(deps: FanOutEventDeps, delivery: Delivery, event: CatalogEvent): Promise<TaskOutcome> {
  const ids = await deps.targets.subscribedTo(event);
  if (ids.length > 0) {
    await deps.publisher.publish(
      ids.map((webhook_id) => ({ id: `${delivery.id}.${webhook_id}`, task: { type: 'webhook.deliver', webhook_id, event }, request_id: delivery.request_id })),
    );
  }
  // Live subscribers get what is current; a stream outage must not hold back the webhooks.
  try {
    await deps.stream?.publish(event);
  } catch (error) {
    deps.logger.warn({ err: error, event_id: event.id }, 'event not streamed');
  }
  return { type: 'done' };
}
