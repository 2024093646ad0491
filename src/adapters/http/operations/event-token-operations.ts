import { createRoute, z } from '@hono/zod-openapi';
import { EVENT_TOKEN_TTL_MS } from '../event-tokens.js';
import { jsonResponse, problemResponses, RequestHeaders } from './responses.js';
import { secured } from './security.js';

const KEY = secured('key');

const EventTokenSchema = z
  .object({
    token: z.string().openapi({ description: 'Send as `GET /events?access_token=<token>`; accepted there only.', example: 'evt1.eyJhY3Rvci….Zm9v' }),
    expires_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('EventToken');

const create = createRoute({
  method: 'post',
  path: '/events/tokens',
  operationId: 'createEventToken',
  tags: ['webhooks'],
  summary: 'A short-lived credential for the event stream, for browsers (EventSource sends no Authorization header)',
  description:
    `No body. The token acts for the calling key's actor (an admin's stream, or a user's own products') for ` +
    `${EVENT_TOKEN_TTL_MS / 60_000} minutes, on GET /events only; a stream opened with it stays open past the expiry. ` +
    'A new EventSource cannot send Last-Event-ID, so to resume after the last event seen open ' +
    '`GET /events?access_token=<token>&last_event_id=<id>` (the header, when sent, wins).',
  security: KEY.security,
  middleware: [KEY.guard] as const,
  request: { headers: RequestHeaders },
  responses: { 201: jsonResponse(EventTokenSchema, 'The token and when it stops being accepted'), ...problemResponses({}), ...KEY.problems },
});

export const eventTokenOperations = { create };
