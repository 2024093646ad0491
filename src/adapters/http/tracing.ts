import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Tracer } from '../../application/ports/tracer.js';
import type { HttpEnv } from './http-env.js';

/**
 * A server span per request, child of the incoming W3C `traceparent` when there is a valid one,
 * else the root of a new trace; named `METHOD /route/template` once routed. Its traceparent is
 * `c.var.traceparent`, which writes store with the outbox rows they queue.
 */
export function tracing(tracer: Tracer): MiddlewareHandler<HttpEnv> {
  return (c, next) => {
    const method = c.req.method;
    const attributes = { 'http.request.method': method, 'url.path': c.req.path, 'request.id': c.var.requestId };
    return tracer.span(method, { parent: c.req.header('traceparent'), kind: 'server', attributes }, async (span) => {
      c.set('traceparent', span.traceparent);
      await next();
      const route = routePath(c, -1);
      const template = route.endsWith('*') ? 'unmatched' : route;
      span.updateName(`${method} ${template}`);
      span.setAttributes({ 'http.route': template, 'http.response.status_code': c.res.status });
    });
  };
}
