import { domainError, type Actor, type DomainError } from '../domain/index.js';

/** The key is valid but may not do this: another user's product or keys, or an admin's task. */
export const forbidden = (what: string): DomainError => domainError('auth.forbidden', `This API key may not ${what}.`);

/** `auth.forbidden` unless `actor` may act for `userId`. */
export const denyUnlessActsFor = (actor: Actor, userId: number, what: string): DomainError | null =>
  actor.kind === 'admin' || actor.userId === userId ? null : forbidden(what);
