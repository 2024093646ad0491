import { createRoute, z } from '@hono/zod-openapi';
import { WEBHOOK_LIST_QUERY } from '../../../application/index.js';
import { jsonBody } from '../json-body.js';
import { listQuerySchema } from '../schemas/list-query-schema.js';
import { CreatedWebhookSchema, DeliveryAttemptSchema, NewWebhookSchema, WebhookSchema } from '../schemas/webhook-schemas.js';
import { BODY_PROBLEMS, jsonResponse, problemResponses, RequestHeaders, responseHeaders } from './responses.js';
import { secured } from './security.js';

const tags = ['webhooks'];
const KEY = secured('key');
const NOT_FOUND = { 404: "webhook.not_found: no such endpoint (or another user's)" } as const;

const WebhookParams = z.object({
  id: z.string().openapi({
    param: { name: 'id', in: 'path' },
    description: 'The endpoint id, `wh_` and 24 hex digits; anything else answers 404.',
    example: 'wh_3f2a9c0e8b7d6a5f4e3d2c1b',
  }),
});

const create = createRoute({
  method: 'post',
  path: '/webhooks',
  operationId: 'createWebhook',
  tags,
  summary: "Register an endpoint for event types (admin key: every product's; user key: its own)",
  description:
    'Deliveries are POSTs with the event as JSON and the Standard Webhooks headers `webhook-id` (the event id, the same on every ' +
    'attempt), `webhook-timestamp` and `webhook-signature` (`v1,<base64 HMAC-SHA256>`). A non-2xx answer or none within ' +
    'WEBHOOK_TIMEOUT_MS is retried with backoff; after the last attempt the delivery goes to the dead-letter queue (`npm run dlq`).',
  security: KEY.security,
  middleware: [KEY.guard, jsonBody] as const,
  request: { headers: RequestHeaders, body: { required: true, content: { 'application/json': { schema: NewWebhookSchema } } } },
  responses: {
    201: jsonResponse(CreatedWebhookSchema, 'Registered; `secret` is shown this once', {
      Location: z.string().openapi({ description: 'Path of the endpoint, /webhooks/{id}.', example: '/webhooks/wh_3f2a9c0e8b7d6a5f4e3d2c1b' }),
    }),
    ...problemResponses(BODY_PROBLEMS),
    ...KEY.problems,
  },
});

const list = createRoute({
  method: 'get',
  path: '/webhooks',
  operationId: 'listWebhooks',
  tags,
  summary: "List endpoints by id, without their secrets (admin key: every one; user key: its user's)",
  description: 'Paged like GET /products: `limit` endpoints (default 50, at most 200) in id order, and a Link header to the next page.',
  security: KEY.security,
  middleware: [KEY.guard] as const,
  request: { headers: RequestHeaders, query: listQuerySchema(WEBHOOK_LIST_QUERY) },
  responses: {
    200: jsonResponse(z.array(WebhookSchema), 'One page of endpoints, by id', {
      Link: z.string().optional().openapi({ description: 'RFC 8288 link to the next page, absent on the last: <https://…/webhooks?limit=50&cursor=…>; rel="next"' }),
    }),
    ...problemResponses({ 400: 'validation.failed: a bad limit or cursor' }),
    ...KEY.problems,
  },
});

const get = createRoute({
  method: 'get',
  path: '/webhooks/{id}',
  operationId: 'getWebhook',
  tags,
  summary: 'Get an endpoint, without its secret',
  security: KEY.security,
  middleware: [KEY.guard] as const,
  request: { headers: RequestHeaders, params: WebhookParams },
  responses: { 200: jsonResponse(WebhookSchema, 'The endpoint'), ...problemResponses(NOT_FOUND), ...KEY.problems },
});

const remove = createRoute({
  method: 'delete',
  path: '/webhooks/{id}',
  operationId: 'deleteWebhook',
  tags,
  summary: 'Remove an endpoint: its queued deliveries are dropped',
  security: KEY.security,
  middleware: [KEY.guard] as const,
  request: { headers: RequestHeaders, params: WebhookParams },
  responses: { 204: { description: 'Removed', headers: responseHeaders() }, ...problemResponses(NOT_FOUND), ...KEY.problems },
});

const deliveries = createRoute({
  method: 'get',
  path: '/webhooks/{id}/deliveries',
  operationId: 'listWebhookDeliveries',
  tags,
  summary: "The endpoint's most recent delivery attempts, newest first (at most 100)",
  security: KEY.security,
  middleware: [KEY.guard] as const,
  request: { headers: RequestHeaders, params: WebhookParams },
  responses: { 200: jsonResponse(z.array(DeliveryAttemptSchema), 'The attempts'), ...problemResponses(NOT_FOUND), ...KEY.problems },
});

/** The webhook operations. */
export const webhookOperations = { create, list, get, remove, deliveries };
