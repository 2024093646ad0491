import { createRoute, z } from '@hono/zod-openapi';
import { ProblemSchema } from '../schemas/problem-schema.js';
import { PROBLEM_MEDIA_TYPE } from '../problem-response.js';
import { jsonResponse, problemResponses, RequestHeaders, responseHeaders } from './responses.js';

const tags = ['operations'];

const CheckSchema = z
  .object({
    name: z.string().openapi({ example: 'postgres' }),
    ok: z.boolean(),
    optional: z.literal(true).optional().openapi({ description: 'Reported, not required: the service degrades without it (the cache fails open).' }),
  })
  .openapi('ReadinessCheck');

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

const metrics = createRoute({
  method: 'get',
  path: '/metrics',
  tags,
  summary: 'Counters in the Prometheus text format (product cache hits, misses and database loads)',
  request: { headers: RequestHeaders },
  responses: {
    200: { description: 'Prometheus exposition format 0.0.4', headers: responseHeaders(), content: { 'text/plain': { schema: z.string() } } },
    ...problemResponses({}),
  },
});

/** Liveness, readiness and metrics. */
export const healthOperations = { healthz, readyz, metrics };
