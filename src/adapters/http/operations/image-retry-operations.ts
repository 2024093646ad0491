import { createRoute, z } from '@hono/zod-openapi';
import { IdParams } from '../schemas/id-params.js';
import { ProductImageSchema } from '../schemas/product-schemas.js';
import { jsonResponse, problemResponses, RequestHeaders } from './responses.js';
import { secured } from './security.js';

const KEY = secured('key');

const RetryParams = IdParams.extend({
  imageId: z.string().openapi({
    param: { name: 'imageId', in: 'path' },
    type: 'integer',
    minimum: 1,
    maximum: Number.MAX_SAFE_INTEGER,
    description: "The image's id, as `images[].id` shows it; text that cannot be an id answers 404.",
    example: 7,
  }),
});

const retry = createRoute({
  method: 'post',
  path: '/products/{id}/images/{imageId}/retry',
  operationId: 'retryProductImage',
  tags: ['products'],
  summary: 'Queue a failed image again (an admin key, or a key of the product owner)',
  description: 'No body. The image goes back to `pending` with its error cleared and is processed like a new one; a `product.updated` event is sent.',
  security: KEY.security,
  middleware: [KEY.guard] as const,
  request: { headers: RequestHeaders, params: RetryParams },
  responses: {
    202: jsonResponse(ProductImageSchema, 'Queued again; the product shows its progress'),
    ...problemResponses({ 404: 'product.not_found or image.not_found', 409: 'image.not_failed: only a failed image can be retried' }),
    ...KEY.problems,
  },
});

export const imageRetryOperations = { retry };
