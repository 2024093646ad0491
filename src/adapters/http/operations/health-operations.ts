import { createRoute, z } from '@hono/zod-openapi';
import { ProblemSchema } from '../schemas/problem-schema.js';
import { PROBLEM_MEDIA_TYPE } from '../problem-response.js';
import { jsonResponse, problemResponses, RequestHeaders, responseHeaders } from './responses.js';

const tags = ['operations'];

const CheckSchema = z.object({ name: z.string().openapi({ example: 'postgres' }), ok: z.boolean() }).openapi('ReadinessCheck');

const healthz = createRoute({
  method: 'get',
  path: '/healthz',
  tags,
  summary: 'Liveness: the process answers (no dependency is touched)',
  request: { headers: RequestHeaders },
  responses: { 200: jsonResponse(z.object({ status: z.literal('ok') }), 'Alive'), ...problemResponses({}) },
});

const readyz = createRoute({
  method: 'get',
  path: '/readyz',
  tags,
  summary: 'Readiness: every configured dependency is reachable',
  request: { headers: RequestHeaders },
  responses: {
    200: jsonResponse(z.object({ status: z.literal('ready'), checks: z.array(CheckSchema) }), 'Ready'),
    ...problemResponses({}),
    503: {
      description: 'service.not_ready: detail names the unreachable dependencies; checks lists every probe.',
      headers: responseHeaders(),
      content: {
        [PROBLEM_MEDIA_TYPE]: { schema: ProblemSchema.extend({ checks: z.array(CheckSchema) }).openapi('NotReadyProblem') },
      },
    },
  },
});

/** Liveness and readiness. */
export const healthOperations = { healthz, readyz };
