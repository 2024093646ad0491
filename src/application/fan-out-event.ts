import type { CatalogEvent } from './events.js';
import type { Logger } from './ports/logger.js';
import type { TaskPublisher } from './ports/task-publisher.js';
import type { SubscribedEndpoint, WebhookTargets } from './ports/webhooks.js';
import type { RetryPolicy } from './retry-policy.js';
import type { Delivery, TaskOutcome } from './task-handler.js';
import type { TaskMessage } from './tasks.js';

/** One endpoint's first attempt, made by the fan-out itself (no second lookup); as `deliverWebhook` answers. */
export type DeliverInline = (delivery: Delivery, endpoint: SubscribedEndpoint, event: CatalogEvent) => Promise<TaskOutcome>;

export interface FanOutEventDeps {
  readonly targets: Pick<WebhookTargets, 'subscribedTo'>;
  readonly publisher: TaskPublisher;
  readonly logger: Logger;
  /** Live subscribers (GET /events) in this process or across instances; none when absent. */
  readonly stream?: { publish(event: CatalogEvent): Promise<void> } | undefined;
  /**
   * With it (and a policy that retries), an event for exactly one endpoint is delivered here
   * rather than through a task of its own; only a failed attempt queues one, for the next attempt.
   */
  readonly inline?: { readonly deliver: DeliverInline; readonly retry: RetryPolicy } | undefined;
}

/**
 * Hands a committed event to its audiences: its webhook endpoints, and the live stream (best
 * effort). Each endpoint gets a `webhook.deliver` task of its own, so its retries and failures
 * stay its own. An event only one endpoint wants (the usual case) is attempted here first, which
 * spares a message through the queue per event: if that attempt fails, its task is queued as the
 * second attempt after the first retry delay, exactly as if it had been queued and failed. A
 * redelivered event is fanned out again; deliveries are at least once, and the message id lets
 * receivers dedupe.
 */
export async function fanOutEvent(deps: FanOutEventDeps, delivery: Delivery, event: CatalogEvent): Promise<TaskOutcome> {
  const endpoints = await deps.targets.subscribedTo(event);
  // Live subscribers get what is current, alongside the webhooks: neither waits for the other (an
  // inline delivery may take up to the endpoint's timeout), and a stream outage must not hold back
  // the webhooks. A fan-out retried because its publish failed streams the event again; its id
  // lets a client drop the repeat, as a receiver does.
  const streamed = deps.stream?.publish(event).catch((error: unknown) => deps.logger.warn({ err: error, event_id: event.id }, 'event not streamed'));
  await deliver(deps, delivery, endpoints, event);
  await streamed;
  return { type: 'done' };
}

async function deliver(deps: FanOutEventDeps, delivery: Delivery, endpoints: readonly SubscribedEndpoint[], event: CatalogEvent): Promise<void> {
  const task = ({ id: webhook_id }: SubscribedEndpoint): TaskMessage => ({ id: `${delivery.id}.${webhook_id}`, task: { type: 'webhook.deliver', webhook_id, event }, request_id: delivery.request_id });
  const inline = deps.inline;
  const firstDelay = inline?.retry.delaysMs[0];
  if (endpoints.length !== 1 || inline === undefined || firstDelay === undefined) {
    if (endpoints.length > 0) await deps.publisher.publish(endpoints.map(task));
    return;
  }
  const [endpoint] = endpoints as [SubscribedEndpoint];
  const message = task(endpoint);
  const outcome = await inline.deliver({ ...message, attempt: 1, maxAttempts: inline.retry.maxAttempts }, endpoint, event).catch(
    (error: unknown): TaskOutcome => ({ type: 'retry', reason: error instanceof Error ? error.message : String(error) }),
  );
  if (outcome.type === 'done') return;
  // Deferred (the endpoint is at its cap): its task, as attempt 1. Failed: the second attempt, later.
  await deps.publisher.publish([outcome.type === 'defer' ? message : { ...message, retry: { attempt: 2, delayMs: firstDelay } }]);
}
