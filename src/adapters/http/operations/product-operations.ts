import { createRoute, z } from '@hono/zod-openapi';
import { IDEMPOTENCY_KEY } from '../../../domain/index.js';
import { jsonBody } from '../json-body.js';
import { IdParams } from '../schemas/id-params.js';
import { ListProductsQuerySchema } from '../schemas/list-query-schema.js';
import { documented } from '../schemas/rule-schemas.js';
import {
  NewProductSchema,
  ProductChangesSchema,
  ProductReplacementSchema,
  ProductSchema,
} from '../schemas/product-schemas.js';
import { BODY_PROBLEMS, jsonResponse, problemResponses, RequestHeaders, responseHeaders } from './responses.js';
import { secured } from './security.js';

const READ = secured('read');
const WRITE = secured('key');

const tags = ['products'];
const CACHE_HEADERS = {
  ETag: z.string().openapi({ description: 'Identifies this state of the product; changes with every change.', example: '"42-7"' }),
  'X-Cache': z.enum(['HIT', 'MISS']).openapi({ description: 'Whether the product came from the cache.' }),
};
const NOT_FOUND = { 404: 'product.not_found: no product with this id' } as const;
const json = <T extends z.ZodType>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });
const ROUND_TRIP =
  'The body may be what GET returned, edited: the output-only fields (id, version, compressed_product_images, images, ' +
  "created_at, updated_at) are ignored, and user_id, when given, must be the product's owner. Other unknown fields are refused.";

const create = createRoute({
  method: 'post',
  path: '/products',
  operationId: 'createProduct',
  tags,
  summary: 'Create a product',
  description: 'A user key creates for its own user: user_id may then be left out, and naming another user is 403 auth.forbidden.',
  security: WRITE.security,
  middleware: [WRITE.guard, jsonBody] as const,
  request: {
    headers: RequestHeaders.extend({
      'idempotency-key': z.string().optional().openapi({
        ...documented(IDEMPOTENCY_KEY.schema),
        description:
          'Retry token: the same key with the same body within 24 h answers the first response and creates nothing; with another body, 422.',
      }),
    }),
    body: json(NewProductSchema),
  },
  responses: {
    201: jsonResponse(ProductSchema, 'Created (or replayed). Images start pending.', {
      Location: z.string().openapi({ description: 'Path of the product, /products/{id}.', example: '/products/42' }),
      'Idempotent-Replayed': z.literal('true').optional().openapi({ description: 'Present when an Idempotency-Key replayed the first response.' }),
    }),
    ...problemResponses({
      ...BODY_PROBLEMS,
      422: 'user.not_found (user_id names no user) or idempotency.key_reused (same key, other body)',
    }),
    ...WRITE.problems,
  },
});

const get = createRoute({
  method: 'get',
  path: '/products/{id}',
  operationId: 'getProduct',
  tags,
  summary: 'Get a product with the state of its images',
  description: 'Served through the product cache, which every change invalidates (the image worker included).',
  security: READ.security,
  middleware: [READ.guard] as const,
  request: {
    headers: RequestHeaders.extend({
      'if-none-match': z.string().optional().openapi({ description: 'An ETag from an earlier answer: 304 while the product is unchanged.' }),
    }),
    params: IdParams,
  },
  responses: {
    200: jsonResponse(ProductSchema, 'The product', CACHE_HEADERS),
    304: { description: 'Not modified since the ETag given in If-None-Match', headers: responseHeaders(CACHE_HEADERS) },
    ...problemResponses(NOT_FOUND),
    ...READ.problems,
  },
});

const list = createRoute({
  method: 'get',
  path: '/products',
  operationId: 'listProducts',
  tags,
  summary: "List a user's products, newest first",
  description: "Served through the list cache under the user's generation, which every change to the user's products bumps (the image worker's steps included).",
  security: READ.security,
  middleware: [READ.guard] as const,
  request: { headers: RequestHeaders, query: ListProductsQuerySchema },
  responses: {
    200: jsonResponse(z.array(ProductSchema), 'One page, newest first: `limit` products, or fewer when their JSON would pass the page budget (1 MiB by default); Link then points on from the last one.', {
      Link: z.string().optional().openapi({
        description: 'RFC 8288 link to the next page, absent on the last: <https://…/products?user_id=1&cursor=…>; rel="next"',
      }),
      'X-Cache': z.enum(['HIT', 'MISS']).openapi({ description: 'Whether the page came from the cache.' }),
    }),
    ...problemResponses({ 400: 'validation.failed: user_id missing, a bad bound, price_min > price_max, a bad cursor…' }),
    ...READ.problems,
  },
});

const mutation = (
  method: 'put' | 'patch',
  operationId: string,
  schema: typeof ProductReplacementSchema | typeof ProductChangesSchema,
  summary: string,
) =>
  createRoute({
    method,
    path: '/products/{id}',
    operationId,
    tags,
    summary,
    description: ROUND_TRIP,
    security: WRITE.security,
    middleware: [WRITE.guard, jsonBody] as const,
    request: { headers: RequestHeaders, params: IdParams, body: json(schema) },
    responses: {
      200: jsonResponse(ProductSchema, 'The updated product'),
      ...problemResponses({
        ...BODY_PROBLEMS,
        ...NOT_FOUND,
        409: "product.owner_mismatch: user_id is not the product's owner, which never changes (send it as GET returned it, or leave it out)",
      }),
      ...WRITE.problems,
    },
  });

const remove = createRoute({
  method: 'delete',
  path: '/products/{id}',
  operationId: 'deleteProduct',
  tags,
  summary: 'Delete a product and its images',
  security: WRITE.security,
  middleware: [WRITE.guard] as const,
  request: { headers: RequestHeaders, params: IdParams },
  responses: { 204: { description: 'Deleted', headers: responseHeaders() }, ...problemResponses(NOT_FOUND), ...WRITE.problems },
});

/** The product operations: the routes Hono serves and the OpenAPI document describes. */
export const productOperations = {
  create,
  get,
  list,
  replace: mutation('put', 'replaceProduct', ProductReplacementSchema, 'Replace every mutable field (user_id never changes)'),
  patch: mutation('patch', 'updateProduct', ProductChangesSchema, 'Change some fields (user_id never changes)'),
  remove,
};
