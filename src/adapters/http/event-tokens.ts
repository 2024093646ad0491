import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Actor } from '../../domain/index.js';

/** How long a token from POST /events/tokens opens GET /events: long enough to connect and reconnect. */
export const EVENT_TOKEN_TTL_MS = 5 * 60_000;

const PREFIX = 'evt1';

/** What a token carries: its actor and when it stops being accepted (ms since the epoch). */
interface Claims {
  readonly actor: Actor;
  readonly expires: number;
}

/** Signs and checks the short-lived tokens a browser's EventSource sends as `?access_token=`. */
export interface EventTokens {
  /** A token for `actor`, valid EVENT_TOKEN_TTL_MS from now. */
  issue(actor: Actor): { token: string; expiresAt: Date };
  /** The token's actor, or undefined when it is malformed, forged or expired. */
  verify(token: string): Actor | undefined;
}

const isActor = (value: unknown): value is Actor => {
  const actor = value as Partial<Record<string, unknown>> | null;
  if (typeof actor !== 'object' || actor === null) return false;
  if (actor.kind === 'admin') return actor.keyId === null || typeof actor.keyId === 'string';
  return actor.kind === 'user' && Number.isSafeInteger(actor.userId) && typeof actor.keyId === 'string';
};

/**
 * HMAC-SHA256 tokens `evt1.<claims>.<signature>` (base64url). With no `secret` each process draws
 * its own, so a token works only on the instance that issued it: API instances behind one address
 * share EVENTS_TOKEN_SECRET.
 */
export function eventTokens(options: { secret?: string | undefined; now?: () => number } = {}): EventTokens {
  const key = options.secret ? Buffer.from(options.secret, 'utf8') : randomBytes(32);
  const now = options.now ?? Date.now;
  const sign = (body: string) => createHmac('sha256', key).update(`${PREFIX}.${body}`).digest();
  return {
    issue(actor) {
      const claims: Claims = { actor, expires: now() + EVENT_TOKEN_TTL_MS };
      const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
      return { token: `${PREFIX}.${body}.${sign(body).toString('base64url')}`, expiresAt: new Date(claims.expires) };
    },
    verify(token) {
      const [prefix, body, signature, ...rest] = token.split('.');
      if (prefix !== PREFIX || !body || !signature || rest.length > 0) return undefined;
      const expected = sign(body);
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<Claims>;
      if (typeof claims.expires !== 'number' || claims.expires <= now() || !isActor(claims.actor)) return undefined;
      return claims.actor;
    },
  };
}
