import { z } from '@hono/zod-openapi';
import { PROBLEM_CODES } from '../problem.js';

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
    status: z.number().int().openapi({ example: 400 }),
    detail: z.string().openapi({ example: 'The request has invalid fields.' }),
    code: z.enum(PROBLEM_CODES),
    instance: z.string().openapi({ example: '/products', description: 'The request path.' }),
    request_id: z.string().openapi({ description: 'Same as the X-Request-Id response header.' }),
    errors: z.array(FieldErrorSchema).optional().openapi({ description: 'One entry per invalid field.' }),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details (application/problem+json).' });
