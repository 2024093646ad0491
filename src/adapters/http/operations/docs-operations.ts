import { createRoute, z } from '@hono/zod-openapi';
import { jsonResponse, problemResponses, RequestHeaders, responseHeaders } from './responses.js';
import { OPEN } from './security.js';

const tags = ['operations'];

/** The outline of an OpenAPI document: enough to type and describe the response. */
export const OpenApiDocumentSchema = z.object({
  openapi: z.string(),
  info: z.object({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()).optional(),
});

const openapi = createRoute({
  method: 'get',
  path: '/openapi.json',
  operationId: 'getOpenApiDocument',
  tags,
  summary: 'This OpenAPI 3.1 document',
  ...OPEN,
  request: { headers: RequestHeaders },
  responses: {
    200: jsonResponse(OpenApiDocumentSchema, 'The OpenAPI 3.1 document'),
    ...problemResponses({}),
  },
});

const docs = createRoute({
  method: 'get',
  path: '/docs',
  operationId: 'getDocs',
  tags,
  summary: 'Interactive documentation (Swagger UI)',
  description: 'Swagger UI for this document, its assets served by the service itself: it needs no other host.',
  ...OPEN,
  request: { headers: RequestHeaders },
  responses: {
    200: { description: 'An HTML page', headers: responseHeaders(), content: { 'text/html': { schema: z.string() } } },
    ...problemResponses({}),
  },
});

/** The API's own documentation. */
export const docsOperations = { openapi, docs };
