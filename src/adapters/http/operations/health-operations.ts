import { createRoute, z } from '@hono/zod-openapi';
import { problemSchemaFor } from '../schemas/problem-schema.js';
import { jsonResponse, problemResponse, problemResponses, RequestHeaders, responseHeaders } from './responses.js';
import { OPEN, secured } from './security.js';

const ADMIN = secured('admin');

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
  operationId: 'checkLiveness',
  tags,
  summary: 'Liveness: the process answers (no dependency is touched)',
  ...OPEN,
  request: { headers: RequestHeaders },
  responses: { 200: jsonResponse(z.object({ status: z.literal('ok') }), 'Alive'), ...problemResponses({}) },
});

const readyz = createRoute({
  method: 'get',
  path: '/readyz',
  operationId: 'checkReadiness',
  tags,
  summary: 'Readiness: every configured dependency is reachable',
  ...OPEN,
  request: { headers: RequestHeaders },
  responses: {
    200: jsonResponse(z.object({ status: z.literal('ready'), checks: z.array(CheckSchema) }), 'Ready'),
    ...problemResponses({}),
    503: problemResponse(
      503,
      'service.not_ready: detail names the unreachable dependencies; checks lists every probe.',
      problemSchemaFor(503, { checks: z.array(CheckSchema) }, { name: 'NotReadyProblem', codes: ['service.not_ready'] }),
    ),
  },
});

const metrics = createRoute({
  method: 'get',
  path: '/metrics',
  operationId: 'getMetrics',
  tags,
  summary: 'Counters in the Prometheus text format (product cache hits, misses and database loads); needs an admin key',
  security: ADMIN.security,
  middleware: [ADMIN.guard] as const,
  request: { headers: RequestHeaders },
  responses: {
    200: { description: 'Prometheus exposition format 0.0.4', headers: responseHeaders(), content: { 'text/plain': { schema: z.string() } } },
    ...problemResponses({}),
    ...ADMIN.problems,
  },
});

/** Liveness, readiness and metrics. */
export const healthOperations = { healthz, readyz, metrics };
