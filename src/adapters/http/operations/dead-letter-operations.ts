import { createRoute, z } from '@hono/zod-openapi';
import { DeadLetterListSchema, ReplayedSchema } from '../schemas/dead-letter-schemas.js';
import { jsonResponse, problemResponses, RequestHeaders } from './responses.js';
import { secured } from './security.js';

const tags = ['operations'];
const ADMIN = secured('admin');

/** Dead letters listed at most (the `dlq` command's default too). */
export const DEAD_LETTERS_MAX = 1000;

const ListQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(DEAD_LETTERS_MAX)
    .default(100)
    .openapi({ param: { name: 'limit', in: 'query' }, description: `How many, oldest first (1–${DEAD_LETTERS_MAX}).`, example: 100 }),
});

const DeadLetterParams = z.object({
  id: z.string().max(200).openapi({ param: { name: 'id', in: 'path' }, description: 'The dead letter id, as the list shows it.', example: '1842' }),
});

const list = createRoute({
  method: 'get',
  path: '/dead-letters',
  operationId: 'listDeadLetters',
  tags,
  summary: 'Tasks that exhausted their attempts, oldest first (admin key)',
  description: 'The same list as `npm run dlq -- list`. Listing removes nothing.',
  security: ADMIN.security,
  middleware: [ADMIN.guard] as const,
  request: { headers: RequestHeaders, query: ListQuery },
  responses: { 200: jsonResponse(DeadLetterListSchema, 'The dead letters'), ...problemResponses({ 400: 'validation.failed: limit out of range' }), ...ADMIN.problems },
});

const replay = createRoute({
  method: 'post',
  path: '/dead-letters/{id}/replay',
  operationId: 'replayDeadLetter',
  tags,
  summary: 'Send a dead letter back to the work queue at attempt 1 (admin key)',
  description: 'No body. Like `npm run dlq -- replay <id>`: the task leaves the list and is processed again.',
  security: ADMIN.security,
  middleware: [ADMIN.guard] as const,
  request: { headers: RequestHeaders, params: DeadLetterParams },
  responses: { 202: jsonResponse(ReplayedSchema, 'Queued again'), ...problemResponses({ 404: 'dead_letter.not_found: no such dead letter (or it was replayed)' }), ...ADMIN.problems },
});

export const deadLetterOperations = { list, replay };
