import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { HttpEnv } from './http-env.js';

// Inbound ids end up in logs and headers: accept only short, plain tokens.
const INBOUND_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Sets `c.var.requestId` and a `request_id`-bound `c.var.logger`; echoes `X-Request-Id`. */
export function requestContext(logger: Logger): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const inbound = c.req.header('x-request-id');
    const requestId = inbound !== undefined && INBOUND_REQUEST_ID.test(inbound) ? inbound : randomUUID();
    c.set('requestId', requestId);
    c.set('logger', logger.child({ request_id: requestId }));
    // Set before next(), the header rides on every response built through the context for free.
    // Setting it afterwards would make Hono copy the finished response (and @hono/node-server
    // turn its lightweight response into a full fetch Response): about 5 % of a cached GET.
    c.header('X-Request-Id', requestId);
    await next();
    // A handler that returned its own Response bypassed the context's headers: add it there.
    const headers = c.res.headers;
    if (!headers.has('x-request-id')) headers.set('X-Request-Id', requestId);
  };
}
