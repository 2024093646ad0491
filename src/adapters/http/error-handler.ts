import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { HttpEnv } from './http-env.js';
import { ProblemError, type ProblemCode } from './problem.js';
import { problemResponse } from './problem-response.js';

// Hono's own middleware signals client mistakes with HTTPException; these are the ones that can
// reach us. Anything else is a bug and answers the generic 500.
const HTTP_EXCEPTION_CODES: Partial<Record<number, ProblemCode>> = {
  400: 'request.malformed_json',
  413: 'request.too_large',
  415: 'request.unsupported_media_type',
};

function toProblem(error: Error): ProblemError {
  if (error instanceof ProblemError) return error;
  const code = error instanceof HTTPException ? HTTP_EXCEPTION_CODES[error.status] : undefined;
  if (code) return new ProblemError(code, error.message);
  // Never echo error.message: it may hold SQL, hostnames or credentials. The access log has it.
  return new ProblemError('internal', 'An unexpected error occurred. Quote the request_id when reporting it.');
}

/** Hono `onError`: every thrown error becomes a problem response. Logging is the access log's job. */
export function errorHandler(error: Error, c: Context<HttpEnv>): Response {
  return problemResponse(c, toProblem(error));
}
