import { createHmac } from 'node:crypto';
import { Agent } from 'undici';
import type { WebhookRequest, WebhookResponse, WebhookSender } from '../../application/ports/index.js';
import { ImageFailure } from '../../domain/index.js';
import { checkedAgent, type Resolve, type TrustedEndpoint } from './checked-connector.js';
import { errorCode } from './fetch-failures.js';

export interface UndiciWebhookSenderOptions {
  /** Budget for connecting, sending and the answer's headers (default 5 s). */
  readonly timeoutMs?: number;
  /** Lifts the public-address rule, for local development and tests only (default false). */
  readonly allowPrivateNetworks?: boolean;
  readonly userAgent?: string;
  /** Host name resolver; the system resolver by default, injected by tests. */
  readonly lookup?: Resolve;
  /** Socket addresses exempt from the address rule; a test seam, leave empty in production. */
  readonly trustedEndpoints?: readonly TrustedEndpoint[];
}

/**
 * The Standard Webhooks signature: base64 HMAC-SHA256, keyed with the base64 after `whsec_`,
 * over `{id}.{timestamp}.{body}`.
 */
export function webhookSignature(secret: string, messageId: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${messageId}.${timestampSeconds}.${body}`).digest('base64')}`;
}

/** The most of an endpoint's answer read (and dropped) to keep its connection; more closes it. */
export const DRAINED_BODY_BYTES = 64 * 1024;

/**
 * Posts signed webhook requests with undici through its own Agent, under the same address policy
 * as the image fetcher (the checked connector), with a short timeout. Redirects are not followed:
 * a 3xx is the endpoint's answer, and a failed one.
 */
export class UndiciWebhookSender implements WebhookSender {
  readonly #agent: Agent;
  readonly #timeoutMs: number;
  readonly #userAgent: string;

  constructor(options: UndiciWebhookSenderOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 5_000;
    this.#userAgent = options.userAgent ?? 'product-catalog-webhooks';
    // Endpoints are few and called often: keep connections, but not forever.
    this.#agent = checkedAgent(options, this.#timeoutMs, { keepAliveTimeout: 10_000 });
  }

  async send(request: WebhookRequest): Promise<WebhookResponse> {
    const seconds = Math.floor(request.timestamp.getTime() / 1000);
    const url = new URL(request.url);
    const signal = AbortSignal.timeout(this.#timeoutMs);
    try {
      const response = await this.#agent.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': this.#userAgent,
          'webhook-id': request.messageId,
          'webhook-timestamp': String(seconds),
          'webhook-signature': webhookSignature(request.secret, request.messageId, seconds, request.body),
        },
        body: request.body,
        signal,
      });
      // The answer is its status. Reading a small body to its end (within the same timeout) keeps
      // the connection for the next delivery; destroying it closed the connection whenever a body
      // was still coming and built an abort error each time. A large or slow one is cut off.
      await response.body.dump({ limit: DRAINED_BODY_BYTES, signal }).catch(() => undefined);
      return { status: response.statusCode };
    } catch (error) {
      const blocked = error instanceof ImageFailure && error.code === 'image.blocked_address';
      return { status: null, error: reasonOf(error, this.#timeoutMs), ...(blocked && { permanent: true }) };
    }
  }

  close(): Promise<void> {
    return this.#agent.close();
  }
}

/** Why there was no answer, without driver internals. */
function reasonOf(error: unknown, timeoutMs: number): string {
  if (error instanceof ImageFailure) return error.code === 'image.blocked_address' ? `blocked address: ${error.message}` : error.message;
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  return `connection failed (${errorCode(error) ?? 'network error'})`;
}
