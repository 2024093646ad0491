import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { RequestMetrics } from '../../application/ports/metrics.js';
import type { HttpEnv } from './http-env.js';
import { ProblemError } from './problem.js';

/**
 * One line per request: method, path (never the query, which may carry personal data), status,
 * duration_ms; request_id comes from the child logger. 5xx lines are errors and carry the
 * unexpected error with its stack. With `metrics`, each request's duration is observed by route.
 */
export function accessLog(metrics?: RequestMetrics): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    const line = {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      duration_ms: Math.round(seconds * 1_000_000) / 1000,
    };
    // The route template, never the raw path: one series per route, whatever the ids.
    const route = routePath(c, -1);
    metrics?.observeRequest(route.endsWith('*') ? 'unmatched' : route, c.req.method, c.res.status, seconds);
    if (c.res.status < 500) {
      c.var.logger.info(line, 'request completed');
      return;
    }
    // A ProblemError is an expected outcome (e.g. not ready); its stack would only be noise.
    const err = c.error instanceof ProblemError ? undefined : c.error;
    c.var.logger.error({ ...line, err }, 'request completed');
  };
}
