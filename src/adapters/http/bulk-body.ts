import type { MiddlewareHandler } from 'hono';
import type { HttpEnv } from './http-env.js';
import { ProblemError } from './problem.js';

/** The media type of the streamed form, request and answer: one JSON value a line. */
export const NDJSON = 'application/x-ndjson';

const JSON_TYPE = /^application\/json(?:;[ \t]*charset=(?:utf-8|"utf-8"))?$/i;
const NDJSON_TYPE = /^application\/x-ndjson(?:;[ \t]*charset=(?:utf-8|"utf-8"))?$/i;

export const isNdjson = (type: string | undefined) => NDJSON_TYPE.test(type ?? '');

/** 415 unless the body is JSON or NDJSON; 400 when a JSON body does not parse (an NDJSON line that does not is an item's problem). */
export const bulkBody: MiddlewareHandler<HttpEnv> = async (c, next) => {
  const type = c.req.header('content-type');
  if (isNdjson(type)) return next();
  if (!JSON_TYPE.test(type ?? '')) {
    throw new ProblemError('request.unsupported_media_type', `Send the body as application/json (an array) or ${NDJSON} (one product a line).`);
  }
  try {
    await c.req.json();
  } catch {
    throw new ProblemError('request.malformed_json', 'The request body is not valid JSON.');
  }
  await next();
};

