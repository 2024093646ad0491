import { ADMIN, err, isHttpUrl, ok, validationFailed, type Actor, type DomainError, type FieldError, type Result } from '../domain/index.js';
import { EVENT_TYPES, type EventType } from './events.js';
import type { KeyCrypto } from './ports/key-crypto.js';
import type { Webhook, WebhookRepo } from './ports/webhooks.js';

/** Longest accepted endpoint URL. */
export const WEBHOOK_URL_MAX_LENGTH = 2048;

/** A registered endpoint as answered once: with its signing secret. */
export interface CreatedWebhook extends Webhook {
  readonly secret: string;
}

const isEventType = (value: unknown): value is EventType => typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value);

function checkInput(input: unknown): Result<{ url: string; events: EventType[] }, FieldError[]> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return err([{ path: '', message: 'must be an object' }]);
  const { url, events, ...rest } = input as Record<string, unknown>;
  const problems: FieldError[] = Object.keys(rest).map((name) => ({ path: name, message: 'is not a known field' }));
  if (typeof url !== 'string') problems.push({ path: 'url', message: 'must be a string' });
  else if (url.length > WEBHOOK_URL_MAX_LENGTH) problems.push({ path: 'url', message: `must be at most ${WEBHOOK_URL_MAX_LENGTH} characters` });
  else if (!isHttpUrl(url)) problems.push({ path: 'url', message: 'must be an absolute http or https URL' });
  if (!Array.isArray(events) || events.length === 0) problems.push({ path: 'events', message: 'must be a non-empty array of event types' });
  else {
    events.forEach((type: unknown, index) => {
      if (!isEventType(type)) problems.push({ path: `events[${index}]`, message: `must be one of ${EVENT_TYPES.join(', ')}` });
    });
  }
  if (problems.length > 0) return err(problems);
  return ok({ url: url as string, events: [...new Set(events as EventType[])] });
}

/**
 * Registers an endpoint for the listed event types. An admin's receives every product's events; a
 * user key's only its own user's. The answer carries the signing secret, which is never shown
 * again.
 */
export async function createWebhook(
  deps: { webhooks: Pick<WebhookRepo, 'create'>; crypto: Pick<KeyCrypto, 'randomHex' | 'randomBase64Url'> },
  input: unknown,
  actor: Actor = ADMIN,
): Promise<Result<CreatedWebhook, DomainError>> {
  const checked = checkInput(input);
  if (!checked.ok) return err(validationFailed(checked.error));
  // Standard Webhooks secrets are standard base64: 24 random bytes are 32 characters, unpadded.
  const secret = `whsec_${deps.crypto.randomBase64Url(24).replace(/-/g, '+').replace(/_/g, '/')}`;
  const webhook = await deps.webhooks.create({
    id: `wh_${deps.crypto.randomHex(12)}`,
    ...checked.value,
    user_id: actor.kind === 'user' ? actor.userId : null,
    secret,
  });
  return ok({ ...webhook, secret });
}
