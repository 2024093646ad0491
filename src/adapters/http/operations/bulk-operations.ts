import { createRoute, z } from '@hono/zod-openapi';
import { IDEMPOTENCY_KEY } from '../../../domain/index.js';
import { BULK_LIMITS } from '../../../application/bulk-create-products.js';
import { documented } from '../schemas/rule-schemas.js';
import { problemSchemaFor, ProblemSchema } from '../schemas/problem-schema.js';
import { jsonResponse, problemResponse, problemResponses, RequestHeaders } from './responses.js';
import { secured } from './security.js';
import { bulkBody, NDJSON } from '../bulk-body.js';

const WRITE = secured('key');


export const BulkResultSchema = z
  .object({
    index: z.number().int().openapi({ description: 'The item\'s position in the request, from 0.' }),
    status: z.number().int().openapi({ description: '201 when created (or replayed), else the status a single create would have answered.', example: 201 }),
    id: z.number().int().optional().openapi({ description: 'The created product.' }),
    location: z.string().optional().openapi({ example: '/products/42' }),
    replayed: z.literal(true).optional().openapi({ description: 'Created by an earlier request with the same Idempotency-Key.' }),
    problem: ProblemSchema.partial({ instance: true, request_id: true }).optional().openapi({ description: 'Why the item was not created.' }),
  })
  .openapi('BulkResult');

const bulk = createRoute({
  method: 'post',
  path: '/products/bulk',
  operationId: 'createProductsInBulk',
  tags: ['products'],
  summary: 'Create many products: a JSON array (≤ 1,000) or an NDJSON stream (≤ 100,000)',
  description:
    'Each item has the shape of POST /products and is checked on its own; valid items are created even when others are not, ' +
    'in chunks of one transaction each (`?atomic=true`: all or nothing, at most 1,000 items). The answer lists every item in order: ' +
    `a JSON array for a JSON body; for ${NDJSON}, one result a line, streamed as chunks commit. With an Idempotency-Key the request ` +
    'is resumable: after a dropped connection send the same request with the same key; items already created are answered ' +
    '`replayed` and the rest created. A user key creates for its own user; the request counts once against the writes quota.',
  security: WRITE.security,
  middleware: [WRITE.guard, bulkBody] as const,
  request: {
    headers: RequestHeaders.extend({
      'idempotency-key': z.string().optional().openapi({ ...documented(IDEMPOTENCY_KEY.schema), description: 'Retry token: item i is created at most once under it, within 24 h.' }),
    }),
    query: z.object({ atomic: z.enum(['true', 'false']).optional().openapi({ description: 'true: create all items or none.' }) }),
    body: {
      required: false,
      content: {
        'application/json': { schema: z.array(z.unknown()).max(BULK_LIMITS.arrayItems).openapi({ description: 'Products in the shape of POST /products.' }) },
        [NDJSON]: { schema: { type: 'string', description: 'One product in the shape of POST /products a line.' } },
      },
    },
  },
  responses: {
    200: {
      ...jsonResponse(z.array(BulkResultSchema), 'Every item in order; the created ones have an id and Location.'),
      content: { 'application/json': { schema: z.array(BulkResultSchema) }, [NDJSON]: { schema: { type: 'string', description: 'One BulkResult a line.' } } },
    },
    422: problemResponse(
      422,
      'bulk.not_created: atomic=true and an item failed, so nothing was created; `results` says why for each item (the others: bulk.not_created)',
      problemSchemaFor(422, { results: z.array(BulkResultSchema) }, { name: 'BulkNotCreatedProblem', codes: ['bulk.not_created'] }),
    ),
    ...problemResponses({
      400: 'validation.failed (more than 1,000 items in an array, a bad Idempotency-Key) or request.malformed_json',
      413: 'request.too_large: the JSON array is over its byte limit',
      415: `request.unsupported_media_type: send application/json or ${NDJSON}`,
    }),
    ...WRITE.problems,
  },
});

export const bulkOperations = { bulk };
