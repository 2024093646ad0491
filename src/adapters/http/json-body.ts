import type { MiddlewareHandler } from 'hono';
import type { HttpEnv } from './http-env.js';
import { ProblemError } from './problem.js';

// The one request media type the document declares. JSON is UTF-8 (RFC 8259 §8.1), so charset may
// only say so. Other JSON-flavoured types (merge-patch+json, vnd.api+json) mean something else,
// and this API does not implement their semantics. No space before the `;`: Hono's JSON
// validator, which runs next, refuses it.
const JSON_CONTENT_TYPE = /^application\/json(?:;[ \t]*charset=(?:utf-8|"utf-8"))?$/i;

/** The Content-Type a JSON body must have, as the document and the 415 problem state it. */
export const JSON_CONTENT_TYPE_RULE = 'application/json, optionally with charset=utf-8';

/**
 * Route middleware for JSON bodies: 415 unless the Content-Type is application/json (with at
 * most charset=utf-8), 400 when the body does not parse. Runs before the zod validator, which
 * then reads the cached body.
 */
export const jsonBody: MiddlewareHandler<HttpEnv> = async (c, next) => {
  if (!JSON_CONTENT_TYPE.test(c.req.header('content-type') ?? '')) {
    throw new ProblemError('request.unsupported_media_type', `Send the body as ${JSON_CONTENT_TYPE_RULE}.`);
  }
  try {
    await c.req.json();
  } catch {
    throw new ProblemError('request.malformed_json', 'The request body is not valid JSON.');
  }
  await next();
};
