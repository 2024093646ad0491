import type { CatalogEvent, EventType } from '../events.js';

/** A registered endpoint, without its secret (shown once, at registration). */
export interface Webhook {
  readonly id: string;
  readonly url: string;
  readonly events: readonly EventType[];
  /** The user whose products' events it receives; null (an admin's) for every product. */
  readonly user_id: number | null;
  readonly created_at: Date;
}

export interface NewWebhook extends Omit<Webhook, 'created_at'> {
  /** `whsec_` and base64 of the signing key, as Standard Webhooks libraries take it. */
  readonly secret: string;
}

/** How one delivery attempt ended: `dead` is a failed last attempt (dead-lettered). */
export type DeliveryStatus = 'succeeded' | 'failed' | 'dead';

/** One attempt to deliver one event to one endpoint. */
export interface DeliveryAttempt {
  readonly event_id: string;
  readonly event_type: EventType;
  readonly attempt: number;
  readonly status: DeliveryStatus;
  /** The receiver's HTTP status; null when it never answered (refused, timed out, blocked). */
  readonly response_code: number | null;
  readonly duration_ms: number;
  readonly error: string | null;
  /** When the next attempt is due; null after a success or the last attempt. */
  readonly next_retry_at: Date | null;
  readonly created_at: Date;
}

/** Which endpoints one page of the list holds. */
export interface WebhookQuery {
  /** Only this user's endpoints; absent, everyone's (the admin's included). */
  readonly user_id?: number | undefined;
  /** Only endpoints whose id sorts after this one (byte order). */
  readonly after_id?: string | undefined;
  readonly limit: number;
}

/** The API's side of webhooks: register, list, look up, remove, and show recent attempts. */
export interface WebhookRepo {
  /** Stores the endpoint with its secret. */
  create(webhook: NewWebhook): Promise<Webhook>;
  /** The endpoint, or null when there is none. */
  findById(id: string): Promise<Webhook | null>;
  /** The endpoints the query selects, by id in byte order, at most `limit`; never a secret. */
  list(query: WebhookQuery): Promise<Webhook[]>;
  /** Removes the endpoint and its attempts; false when there was none. */
  delete(id: string): Promise<boolean>;
  /** The endpoint's most recent attempts, newest first, at most `limit`. */
  deliveries(id: string, limit: number): Promise<DeliveryAttempt[]>;
}

/** Where and how to send one endpoint's deliveries. */
export interface WebhookTarget {
  readonly url: string;
  readonly secret: string;
}

/** An endpoint that wants an event, and where and how to send it. */
export interface SubscribedEndpoint extends WebhookTarget {
  readonly id: string;
}

/** The worker's side: who wants an event, where to send it, and what happened. */
export interface WebhookTargets {
  /** The endpoints subscribed to the event's type that may see its product, by id in byte order. */
  subscribedTo(event: CatalogEvent): Promise<SubscribedEndpoint[]>;
  /** The endpoint's URL and secret, or null when it was removed meanwhile. */
  target(id: string): Promise<WebhookTarget | null>;
  /** Records an attempt (dropped when the endpoint is gone); keeps only the most recent ones. */
  recordAttempt(webhookId: string, attempt: Omit<DeliveryAttempt, 'created_at'>): Promise<void>;
}

/** One signed POST: the Standard Webhooks message id, its attempt's time and the exact body. */
export interface WebhookRequest {
  readonly url: string;
  readonly secret: string;
  readonly messageId: string;
  readonly timestamp: Date;
  readonly body: string;
}

/**
 * The receiver's answer; `status` null with `error` when there was none (refused, timed out).
 * `permanent` when no retry can succeed: the address policy refused the endpoint's address.
 */
export type WebhookResponse = { readonly status: number } | { readonly status: null; readonly error: string; readonly permanent?: boolean };

/** Sends signed webhook requests under the address policy, with a short timeout and no redirects. */
export interface WebhookSender {
  /** Never throws for the receiver's or the network's failures: they come back as the response. */
  send(request: WebhookRequest): Promise<WebhookResponse>;
}
