import { z } from '@hono/zod-openapi';

/**
 * `{id}` path parameter. Validated as text here and parsed by pathId, so that an id that cannot
 * exist answers 404 like a missing one rather than 400.
 */
export const IdParams = z.object({
  id: z.string().openapi({
    param: { name: 'id', in: 'path' },
    type: 'integer',
    minimum: 1,
    maximum: Number.MAX_SAFE_INTEGER,
    description: 'A positive integer; text that cannot be an id answers 404, like an id nobody has.',
    example: 42,
  }),
});
