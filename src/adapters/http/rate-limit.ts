import type { Context } from 'hono';
import type { Actor } from '../../domain/index.js';
import type { HttpEnv } from './http-env.js';
import { ProblemError } from './problem.js';

/** The peer's address (@hono/node-server passes the Node request); requests without a socket share one bucket. */
function clientAddress(c: Context<HttpEnv>): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}

/**
 * Counts the request against its quota: reads (GET) per key, or per client address without one;
 * other methods per key. Admin keys are the operator's and are not limited. Sets the IETF
 * RateLimit-Policy and RateLimit headers (draft-ietf-httpapi-ratelimit-headers) on the answer,
 * and refuses with 429 rate_limit.exceeded and Retry-After once the quota is spent.
 */
export async function enforceRateLimit(c: Context<HttpEnv>, actor: Actor | undefined): Promise<void> {
  const limits = c.var.auth.rateLimits;
  if (!limits || actor?.kind === 'admin') return;
  const policy = c.req.method === 'GET' || c.req.method === 'HEAD' ? limits.reads : limits.writes;
  const subject = actor ? `key:${actor.keyId}` : `address:${clientAddress(c)}`;
  const decision = await limits.check(policy, subject);
  c.header('RateLimit-Policy', `"${policy.name}";q=${policy.limit};w=${Math.ceil(policy.windowMs / 1000)}`);
  c.header('RateLimit', `"${policy.name}";r=${decision.remaining};t=${decision.resetSeconds}`);
  if (decision.allowed) return;
  c.header('Retry-After', String(decision.resetSeconds));
  throw new ProblemError(
    'rate_limit.exceeded',
    `More than ${policy.limit} ${policy.name} in ${Math.ceil(policy.windowMs / 1000)} s ${actor ? 'with this key' : 'from this address'}; retry in ${decision.resetSeconds} s.`,
  );
}
