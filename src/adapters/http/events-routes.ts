import type { MiddlewareHandler } from 'hono';
import { streamSSE } from 'hono/streaming';
import { eventFilterOf, type EventFeed } from '../../application/index.js';
import { actorOf, requireAccess } from './authentication.js';
import { createRouter } from './create-router.js';
import type { EventTokens } from './event-tokens.js';
import type { HttpEnv } from './http-env.js';
import { eventTokenOperations } from './operations/event-token-operations.js';
import { ProblemError, unwrap } from './problem.js';
import { enforceRateLimit } from './rate-limit.js';

export interface EventsRoutesOptions {
  readonly feed: EventFeed;
  /** Signs the tokens of POST /events/tokens and checks `?access_token=` on GET /events. */
  readonly tokens: EventTokens;
  /** A comment line this often keeps proxies from closing an idle stream (default 15 s). */
  readonly heartbeatMs?: number | undefined;
}

/**
 * A key in the Authorization header, or (for EventSource, which cannot send one) a token from
 * POST /events/tokens as `?access_token=`; the token is accepted on this route only.
 */
const keyOrToken =
  (tokens: EventTokens): MiddlewareHandler<HttpEnv> =>
  async (c, next) => {
    const token = c.req.query('access_token');
    if (token === undefined || c.req.header('authorization') !== undefined) return requireAccess('key')(c, next);
    const actor = tokens.verify(token);
    if (!actor) {
      c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw new ProblemError('auth.unauthenticated', 'The access token is malformed, forged or expired: get a new one from POST /events/tokens.');
    }
    c.set('actor', actor);
    await enforceRateLimit(c, actor);
    await next();
  };

/**
 * GET /events: Server-Sent Events of the catalog's events (`id` the event id, `event` its type,
 * `data` the event as JSON), filtered by product_id, user_id and type, resumed after the
 * Last-Event-ID header or `last_event_id` parameter. Not in the OpenAPI
 * document: a stream that never ends is not an operation its tools can call.
 */
export function eventsRoutes({ feed, tokens, heartbeatMs = 15_000 }: EventsRoutesOptions) {
  return createRouter()
    .get('/events', keyOrToken(tokens), async (c) => {
      const filter = unwrap(eventFilterOf({ product_id: c.req.query('product_id'), user_id: c.req.query('user_id'), type: c.req.query('type') }, actorOf(c)));
      // A browser's new EventSource cannot set Last-Event-ID, so `?last_event_id=` resumes too; the
      // header wins, being what the browser sends on its own reconnects, after the newest event.
      const subscription = feed.subscribe(filter, c.req.header('last-event-id') ?? c.req.query('last_event_id'));
      c.header('Cache-Control', 'no-cache');
      // Tells nginx-style proxies not to buffer the stream.
      c.header('X-Accel-Buffering', 'no');
      return streamSSE(c, async (stream) => {
        stream.onAbort(() => subscription.close());
        // A consumer dropped for falling behind is disconnected, even while a write to it is stuck.
        void subscription.ended.then(() => stream.close());
        await stream.write(': connected\n\n');
        const heartbeat = setInterval(() => void stream.write(': heartbeat\n\n').catch(() => subscription.close()), heartbeatMs);
        try {
          for (let event = await subscription.next(); event !== null; event = await subscription.next()) {
            await stream.writeSSE({ id: event.id, event: event.type, data: JSON.stringify(event) });
          }
        } finally {
          clearInterval(heartbeat);
          subscription.close();
        }
      });
    });
}

/** POST /events/tokens: the browser's credential for GET /events, bound to the calling key's actor. */
export function eventTokenRoutes(tokens: EventTokens) {
  return createRouter().openapi(eventTokenOperations.create, (c) => {
    const { token, expiresAt } = tokens.issue(actorOf(c));
    return c.json({ token, expires_at: expiresAt.toISOString() }, 201, { 'Cache-Control': 'no-store' });
  });
}
