import { streamSSE } from 'hono/streaming';
import { eventFilterOf, type EventFeed } from '../../application/index.js';
import { actorOf, requireAccess } from './authentication.js';
import { createRouter } from './create-router.js';
import { unwrap } from './problem.js';

export interface EventsRoutesOptions {
  readonly feed: EventFeed;
  /** A comment line this often keeps proxies from closing an idle stream (default 15 s). */
  readonly heartbeatMs?: number | undefined;
}

/**
 * GET /events: Server-Sent Events of the catalog's events (`id` the event id, `event` its type,
 * `data` the event as JSON), filtered by product_id, user_id and type. Not in the OpenAPI
 * document: a stream that never ends is not an operation its tools can call.
 */
export function eventsRoutes({ feed, heartbeatMs = 15_000 }: EventsRoutesOptions) {
  return createRouter().get('/events', requireAccess('key'), async (c) => {
    const filter = unwrap(eventFilterOf({ product_id: c.req.query('product_id'), user_id: c.req.query('user_id'), type: c.req.query('type') }, actorOf(c)));
    const subscription = feed.subscribe(filter, c.req.header('last-event-id'));
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
