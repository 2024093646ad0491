import {
  ADMIN,
  checkRecord,
  decodeCursor,
  domainError,
  encodeCursor,
  err,
  LIMITS,
  ok,
  pageFields,
  recordSpec,
  validationFailed,
  type Actor,
  type CursorKey,
  type DomainError,
  type RecordValues,
  type Result,
} from '../domain/index.js';
import type { DeliveryAttempt, Webhook, WebhookRepo } from './ports/webhooks.js';

/** Most recent attempts shown per endpoint. */
export const DELIVERIES_SHOWN = 100;

const WEBHOOK_ID = /^wh_[0-9a-f]{24}$/;
const isWebhookId: CursorKey<string> = (value): value is string => typeof value === 'string' && WEBHOOK_ID.test(value);

const PAGE = pageFields(isWebhookId);

/** GET /webhooks' query: the keyset page fields products have; parameters it does not name are ignored. */
export const WEBHOOK_LIST_QUERY = recordSpec(PAGE, { required: [], closed: false });

export interface WebhookPage {
  readonly items: Webhook[];
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly next_cursor: string | null;
  /** The query this page answers, checked. */
  readonly query: RecordValues<typeof PAGE, never>;
}

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

/**
 * One page of the endpoints the actor may see (an admin every one, a user key its own user's), by
 * id, without secrets. The query is taken as received (numbers already read from query text) and
 * checked here against WEBHOOK_LIST_QUERY.
 */
export async function listWebhooks(deps: { webhooks: Pick<WebhookRepo, 'list'> }, received: unknown, actor: Actor = ADMIN): Promise<Result<WebhookPage, DomainError>> {
  const checked = checkRecord(received, WEBHOOK_LIST_QUERY);
  if (!checked.ok) return err(validationFailed(checked.error));
  const query = checked.value;
  const limit = query.limit ?? LIMITS.listDefaultLimit;
  // One extra row tells whether anything follows.
  const rows = await deps.webhooks.list({
    limit: limit + 1,
    ...(actor.kind === 'user' && { user_id: actor.userId }),
    ...(query.cursor !== undefined && { after_id: decodeCursor(query.cursor, isWebhookId) as string }),
  });
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return ok({ items, next_cursor: rows.length > limit && last ? encodeCursor(last.id) : null, query });
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
