import type { Context, MiddlewareHandler } from 'hono';
import type { Actor } from '../../domain/index.js';
import type { AuthSettings, HttpEnv } from './http-env.js';
import { ProblemError } from './problem.js';
import { enforceRateLimit } from './rate-limit.js';

/**
 * Who may call an operation: `read` anyone while reads are public (a key, when sent, must be
 * valid), `key` any valid key (the use case then checks the owner), `admin` admin keys only.
 */
export type Access = 'read' | 'key' | 'admin';

// RFC 6750 §2.1: the scheme, case-insensitive, then a token68.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** App middleware: the key settings every access guard reads. */
export const authSettings =
  (settings: AuthSettings): MiddlewareHandler<HttpEnv> =>
  async (c, next) => {
    c.set('auth', settings);
    await next();
  };

/** A 401 with the challenge RFC 6750 §3 asks for; `invalid_token` when a key was sent and refused. */
function unauthenticated(c: Context<HttpEnv>, detail: string, invalid: boolean): ProblemError {
  c.header('WWW-Authenticate', invalid ? 'Bearer error="invalid_token"' : 'Bearer');
  return new ProblemError('auth.unauthenticated', detail);
}

/**
 * Route middleware, before any body is read: 401 auth.unauthenticated or 403 auth.forbidden, else
 * sets `c.var.actor`; then the rate limit (429 rate_limit.exceeded).
 */
export const requireAccess =
  (access: Access): MiddlewareHandler<HttpEnv> =>
  async (c, next) => {
    const header = c.req.header('authorization');
    if (header === undefined) {
      if (access === 'read' && c.var.auth.publicReads) {
        await enforceRateLimit(c, undefined);
        return next();
      }
      throw unauthenticated(c, 'This operation needs an API key: send Authorization: Bearer <key>.', false);
    }
    const token = BEARER.exec(header)?.[1];
    if (token === undefined) throw unauthenticated(c, 'The Authorization header must read Bearer <key>.', true);
    const actor = await c.var.auth.authenticator.authenticate(token);
    if (!actor) throw unauthenticated(c, 'The API key is unknown or revoked.', true);
    if (access === 'admin' && actor.kind !== 'admin') throw new ProblemError('auth.forbidden', 'This operation needs an admin key.');
    c.set('actor', actor);
    await enforceRateLimit(c, actor);
    await next();
  };

/** The actor of a route behind `requireAccess('key')` or `('admin')`. */
export function actorOf(c: Context<HttpEnv>): Actor {
  const actor = c.var.actor;
  if (!actor) throw new Error(`${c.req.method} ${c.req.routePath} has no access guard that requires a key`);
  return actor;
}
