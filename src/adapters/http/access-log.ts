import type { MiddlewareHandler } from 'hono';
import type { HttpEnv } from './http-env.js';
import { ProblemError } from './problem.js';

/**
 * One line per request: method, path (never the query, which may carry personal data), status,
 * duration_ms; request_id comes from the child logger. 5xx lines are errors and carry the
 * unexpected error with its stack.
 */
export const accessLog: MiddlewareHandler<HttpEnv> = async (c, next) => {
  const started = performance.now();
  await next();
  const line = {
    method: c.req.method,
    path: c.req.path,
    status: c.res.status,
    duration_ms: Math.round((performance.now() - started) * 1000) / 1000,
  };
  if (c.res.status < 500) {
    c.var.logger.info(line, 'request completed');
    return;
  }
  // A ProblemError is an expected outcome (e.g. not ready); its stack would only be noise.
  const err = c.error instanceof ProblemError ? undefined : c.error;
  c.var.logger.error({ ...line, err }, 'request completed');
};
