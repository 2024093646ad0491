import { ADMIN, domainError, err, ok, type Actor, type DomainError, type Result } from '../domain/index.js';
import type { DeliveryAttempt, Webhook, WebhookRepo } from './ports/webhooks.js';

/** Most recent attempts shown per endpoint. */
export const DELIVERIES_SHOWN = 100;

const WEBHOOK_ID = /^wh_[0-9a-f]{24}$/;

const notFound = (id: string): DomainError => domainError('webhook.not_found', `Webhook ${id.slice(0, 40)} does not exist.`);

/**
 * The endpoint if the actor may see it: an admin every one, a user key its own user's. Another
 * user's endpoint is reported missing, like an id that was never issued, so ids cannot be probed.
 */
export async function getWebhook(deps: { webhooks: Pick<WebhookRepo, 'findById'> }, id: string, actor: Actor = ADMIN): Promise<Result<Webhook, DomainError>> {
  const webhook = WEBHOOK_ID.test(id) ? await deps.webhooks.findById(id) : null;
  if (!webhook || (actor.kind === 'user' && webhook.user_id !== actor.userId)) return err(notFound(id));
  return ok(webhook);
}

/** Removes the endpoint: its queued deliveries are then dropped unsent. */
export async function deleteWebhook(deps: { webhooks: Pick<WebhookRepo, 'findById' | 'delete'> }, id: string, actor: Actor = ADMIN): Promise<Result<void, DomainError>> {
  const found = await getWebhook(deps, id, actor);
  if (!found.ok) return found;
  if (!(await deps.webhooks.delete(id))) return err(notFound(id));
  return ok(undefined);
}

/** The endpoint's most recent delivery attempts, newest first. */
export async function listDeliveries(
  deps: { webhooks: Pick<WebhookRepo, 'findById' | 'deliveries'> },
  id: string,
  actor: Actor = ADMIN,
): Promise<Result<DeliveryAttempt[], DomainError>> {
  const found = await getWebhook(deps, id, actor);
  if (!found.ok) return found;
  return ok(await deps.webhooks.deliveries(id, DELIVERIES_SHOWN));
}
