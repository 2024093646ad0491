import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EVENT_TOKEN_TTL_MS, eventTokens } from '../../../src/adapters/http/event-tokens.js';
import type { Actor } from '../../../src/domain/index.js';

const USER: Actor = { kind: 'user', userId: 7, keyId: 'k1' };
const SECRET = 'a-secret-of-at-least-thirty-two-characters';

describe('eventTokens', () => {
  it('gives back the actor it was issued for until it expires, then nothing', () => {
    let now = 1_000_000;
    const tokens = eventTokens({ secret: SECRET, now: () => now });
    const { token, expiresAt } = tokens.issue(USER);
    expect(token).toMatch(/^evt1\.[\w-]+\.[\w-]+$/);
    expect(expiresAt.getTime()).toBe(now + EVENT_TOKEN_TTL_MS);
    expect(tokens.verify(token)).toEqual(USER);
    expect(tokens.verify(tokens.issue({ kind: 'admin', keyId: null }).token)).toEqual({ kind: 'admin', keyId: null });
    now += EVENT_TOKEN_TTL_MS - 1;
    expect(tokens.verify(token)).toEqual(USER);
    now += 1;
    expect(tokens.verify(token)).toBeUndefined();
  });

  it('refuses a token signed with another secret, a changed actor, and garbage', () => {
    const tokens = eventTokens({ secret: SECRET });
    const { token } = tokens.issue(USER);
    expect(eventTokens({ secret: `${SECRET}!` }).verify(token)).toBeUndefined();
    // Another process without a shared secret draws its own key.
    expect(eventTokens().verify(token)).toBeUndefined();
    const [prefix, , signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ actor: { kind: 'admin', keyId: null }, expires: Date.now() + 60_000 })).toString('base64url');
    expect(tokens.verify(`${prefix}.${forged}.${signature}`)).toBeUndefined();
    for (const bad of ['', 'evt1', 'evt1..', `${token}.x`, `evt2${token.slice(4)}`, `${token.slice(0, -2)}`]) expect(tokens.verify(bad)).toBeUndefined();
  });

  it('refuses a well-signed token whose claims are not an actor and an expiry', () => {
    // Same secret, claims written by hand: only what issue() writes is accepted.
    const tokens = eventTokens({ secret: SECRET });
    const signed = (claims: unknown) => {
      const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
      return `evt1.${body}.${createHmac('sha256', SECRET).update(`evt1.${body}`).digest('base64url')}`;
    };
    const later = Date.now() + 60_000;
    expect(tokens.verify(signed({ actor: USER, expires: later }))).toEqual(USER);
    expect(tokens.verify(signed({ actor: USER }))).toBeUndefined();
    expect(tokens.verify(signed({ actor: null, expires: later }))).toBeUndefined();
    expect(tokens.verify(signed({ actor: { kind: 'user', userId: 'x', keyId: 'k' }, expires: later }))).toBeUndefined();
    expect(tokens.verify(signed({ actor: { kind: 'admin', keyId: 3 }, expires: later }))).toBeUndefined();
    expect(tokens.verify(signed({ actor: { kind: 'root' }, expires: later }))).toBeUndefined();
  });
});
