import { z } from '@hono/zod-openapi';
import { requireAccess, type Access } from '../authentication.js';
import { problemResponse, responseHeaders } from './responses.js';

/** The document's name of the bearer-key security scheme. */
export const BEARER_SCHEME = 'bearerAuth';

/** The scheme itself, registered with the document's components. */
export const BEARER_SECURITY_SCHEME = {
  type: 'http',
  scheme: 'bearer',
  bearerFormat: 'pc_live_<key id>_<secret>',
  description:
    'An API key: `Authorization: Bearer <key>`. Admin keys (ADMIN_API_KEY, or the one the first embedded start prints) may do ' +
    'everything; user keys (from POST /users or POST /users/{id}/api-keys) act for their user only.',
} as const;

// An empty requirement makes the key optional: reads are public unless AUTH_PUBLIC_READS=false.
const SECURITY: Record<Access, Record<string, string[]>[]> = {
  read: [{}, { [BEARER_SCHEME]: [] }],
  key: [{ [BEARER_SCHEME]: [] }],
  admin: [{ [BEARER_SCHEME]: [] }],
};

const RATE_LIMIT_HEADERS = {
  'Retry-After': z.string().openapi({ description: 'Seconds until the window resets.', example: '12' }),
  'RateLimit-Policy': z.string().openapi({ description: 'The quota (IETF draft-ietf-httpapi-ratelimit-headers).', example: '"writes";q=60;w=60' }),
  RateLimit: z.string().openapi({ description: 'What is left of the quota, and seconds until it resets.', example: '"writes";r=0;t=12' }),
};

const UNAUTHENTICATED = 'auth.unauthenticated: no key, a malformed Authorization header, or a key unknown or revoked (with WWW-Authenticate: Bearer)';

/** 401, 403 where a key may lack the right, and 429 with its rate-limit headers. */
function accessProblems(access: Access) {
  const forbidden = access === 'admin' ? 'auth.forbidden: the key is not an admin key' : "auth.forbidden: the key does not act for this resource's owner";
  return {
    401: problemResponse(401, access === 'read' ? `${UNAUTHENTICATED}; a read needs no key unless AUTH_PUBLIC_READS=false` : UNAUTHENTICATED),
    ...(access !== 'read' && { 403: problemResponse(403, forbidden) }),
    429: {
      ...problemResponse(429, 'rate_limit.exceeded: too many requests for this key (writes) or client address (anonymous reads)'),
      headers: responseHeaders(RATE_LIMIT_HEADERS),
    },
  };
}

/**
 * What an operation with `access` adds to its definition: the document's security requirement and
 * problems, and the guard to run first among its middleware (before any body is read).
 */
export const secured = (access: Access) => ({ security: SECURITY[access], guard: requireAccess(access), problems: accessProblems(access) });

/** Operations that take no key: the key scheme does not apply. */
export const OPEN: { security: Record<string, string[]>[] } = { security: [] };
