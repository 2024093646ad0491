import { z } from '@hono/zod-openapi';
import type { ZodRawShape } from 'zod';
import { PROBLEM_CODES, PROBLEMS, type ProblemCode } from '../problem.js';

export const FieldErrorSchema = z
  .object({
    path: z.string().openapi({ example: 'product_images[2]', description: 'Dots and brackets; empty for the whole body.' }),
    message: z.string().openapi({ example: 'must be an absolute http or https URL' }),
  })
  .openapi('FieldError');

/** RFC 9457 problem details, with the stable `code` clients switch on. */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: '/problems/validation.failed', description: 'Relative URI reference naming the code.' }),
    title: z.string().openapi({ example: 'Invalid request' }),
    status: z.number().int().openapi({ example: 400, description: 'The HTTP status; each response names its own.' }),
    detail: z.string().openapi({ example: 'The request has invalid fields.' }),
    code: z.enum(PROBLEM_CODES),
    instance: z.string().openapi({ example: '/products', description: 'The request path.' }),
    request_id: z.string().openapi({ description: 'Same as the X-Request-Id response header.' }),
    errors: z.array(FieldErrorSchema).optional().openapi({ description: 'One entry per invalid field.' }),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details (application/problem+json).' });

/** The statuses problems are answered with, and the name of each one's schema. */
const NAMES = {
  400: 'BadRequestProblem',
  401: 'UnauthorizedProblem',
  403: 'ForbiddenProblem',
  404: 'NotFoundProblem',
  409: 'ConflictProblem',
  413: 'ContentTooLargeProblem',
  415: 'UnsupportedMediaTypeProblem',
  422: 'UnprocessableContentProblem',
  429: 'TooManyRequestsProblem',
  500: 'InternalProblem',
  503: 'ServiceUnavailableProblem',
} as const;

export type ProblemStatus = keyof typeof NAMES;

// statusOf answers 422 for a `*.not_found` naming body fields (a user_id nobody has).
const answersWith = (code: ProblemCode, status: ProblemStatus): boolean =>
  PROBLEMS[code].status === status || (status === 422 && code.endsWith('.not_found') && !code.startsWith('route.'));

/**
 * The problem a response with `status` carries: `status` is that number and `code` one of the
 * codes answered with it, so a client can tell a 500 from /readyz's 503 by the schema alone.
 * `extra` adds members (the 503's `checks`); `only` narrows the codes, under a name of its own.
 */
export function problemSchemaFor(status: ProblemStatus, extra: ZodRawShape = {}, only?: { name: string; codes: readonly ProblemCode[] }) {
  const codes = PROBLEM_CODES.filter((code) => answersWith(code, status) && (!only || only.codes.includes(code))) as [ProblemCode, ...ProblemCode[]];
  return ProblemSchema.extend({ status: z.literal(status), code: z.enum(codes), ...extra }).openapi(only?.name ?? NAMES[status], {
    description: `A problem answered with HTTP ${status}.`,
  });
}
