import type { EndpointSlots } from './endpoint-slots.js';
import type { CatalogEvent } from './events.js';
import type { Logger } from './ports/logger.js';
import type { DeliveryStatus, WebhookSender, WebhookTarget, WebhookTargets } from './ports/webhooks.js';
import type { RetryPolicy } from './retry-policy.js';
import type { Delivery, TaskOutcome } from './task-handler.js';

export interface DeliverWebhookDeps {
  readonly targets: WebhookTargets;
  readonly sender: WebhookSender;
  /** The queue's policy, to show when the next attempt is due. */
  readonly retry: RetryPolicy;
  readonly logger: Logger;
  readonly now?: () => Date;
  /** This worker's cap on deliveries in flight per endpoint; none without it. */
  readonly slots?: EndpointSlots | undefined;
  /**
   * How long a delivery to an endpoint at its cap waits here for a slot before it is deferred
   * (default 0: at once). A fast endpoint frees one within milliseconds, and a deferral costs a
   * trip through the broker's wait queue and the shortest retry delay; a slow one is deferred.
   */
  readonly slotWaitMs?: number | undefined;
}

/** The body every endpoint receives: the Standard Webhooks envelope (type, timestamp, data) plus the event id. */
export const webhookBody = (event: CatalogEvent): string =>
  JSON.stringify({ id: event.id, type: event.type, timestamp: event.timestamp, data: event.data });

/**
 * Sends one event to one endpoint and records the attempt. A 2xx answer is done; anything else
 * (another status, no answer) is a retry, which the retry policy turns into a dead letter after
 * the last attempt; an address the policy refuses fails at once, as for image sources. An endpoint removed meanwhile gets nothing. The
 * `webhook-id` is the event's id on every attempt and replay, so receivers can drop repeats.
 * `known` is the endpoint's target when the caller has just read it (a fan-out); otherwise it is
 * looked up.
 */
export async function deliverWebhook(deps: DeliverWebhookDeps, delivery: Delivery, webhookId: string, event: CatalogEvent, known?: WebhookTarget): Promise<TaskOutcome> {
  if (!deps.slots) return attempt(deps, delivery, webhookId, event, known);
  const release = await deps.slots.acquire(webhookId, deps.slotWaitMs ?? 0);
  if (!release) return deferred(deps, deps.slots, webhookId, event);
  try {
    return await attempt(deps, delivery, webhookId, event, known);
  } finally {
    release();
  }
}

/**
 * An endpoint whose deliveries fill its slots (a receiver that is slow or never answers) gets no
 * more of the worker's: the delivery comes back shortly, as the same attempt, and the slot goes to
 * an image or another endpoint. Logged once per saturation, not per deferral.
 */
function deferred(deps: DeliverWebhookDeps, slots: EndpointSlots, webhookId: string, event: CatalogEvent): TaskOutcome {
  if (slots.refused(webhookId)) {
    deps.logger.info({ webhook_id: webhookId, event_id: event.id }, 'webhook endpoint at its in-flight cap; its further deliveries are deferred');
  }
  return { type: 'defer', reason: 'the endpoint has its maximum of deliveries in flight' };
}

async function attempt(deps: DeliverWebhookDeps, delivery: Delivery, webhookId: string, event: CatalogEvent, known: WebhookTarget | undefined): Promise<TaskOutcome> {
  const target = known ?? (await deps.targets.target(webhookId));
  if (!target) return { type: 'done' };
  const now = deps.now ?? (() => new Date());
  const started = performance.now();
  const response = await deps.sender.send({ url: target.url, secret: target.secret, messageId: event.id, timestamp: now(), body: webhookBody(event) });
  const duration_ms = Math.round(performance.now() - started);
  const succeeded = response.status !== null && response.status >= 200 && response.status <= 299;
  const permanent = response.status === null && response.permanent === true;
  const last = permanent || delivery.attempt >= delivery.maxAttempts;
  const status: DeliveryStatus = succeeded ? 'succeeded' : last && !permanent ? 'dead' : 'failed';
  const error = succeeded ? null : response.status === null ? response.error : `the endpoint answered ${response.status}`;
  const delayMs = deps.retry.delaysMs[delivery.attempt - 1];
  await deps.targets.recordAttempt(webhookId, {
    event_id: event.id,
    event_type: event.type,
    attempt: delivery.attempt,
    status,
    response_code: response.status,
    duration_ms,
    error,
    next_retry_at: status === 'failed' && !permanent && delayMs !== undefined ? new Date(now().getTime() + delayMs) : null,
  });
  if (succeeded) return { type: 'done' };
  // Like an image source, a refused address is not retried: the attempt shows why.
  if (permanent) {
    deps.logger.warn({ webhook_id: webhookId, event_id: event.id, reason: error }, 'webhook endpoint refused by the address policy');
    return { type: 'done' };
  }
  deps.logger.warn({ webhook_id: webhookId, event_id: event.id, attempt: delivery.attempt, reason: error }, 'webhook delivery failed');
  return { type: 'retry', reason: error! };
}
