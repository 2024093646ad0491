import type { MiddlewareHandler } from 'hono';
import type { HttpEnv } from './http-env.js';
import { ProblemError } from './problem.js';

const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json$/i;

/**
 * Route middleware for JSON bodies: 415 unless the Content-Type is JSON, 400 when the body does
 * not parse. Runs before the zod validator, which then reads the cached body.
 */
export const jsonBody: MiddlewareHandler<HttpEnv> = async (c, next) => {
  const mediaType = (c.req.header('content-type') ?? '').replace(/;.*$/s, '').trim();
  if (!JSON_MEDIA_TYPE.test(mediaType)) {
    throw new ProblemError('request.unsupported_media_type', 'Send the body as application/json.');
  }
  try {
    await c.req.json();
  } catch {
    throw new ProblemError('request.malformed_json', 'The request body is not valid JSON.');
  }
  await next();
};
