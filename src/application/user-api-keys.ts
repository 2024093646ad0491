import { domainError, err, ok, type Actor, type ApiKey, type DomainError, type Result } from '../domain/index.js';
import type { Authenticator } from './authenticator.js';
import { denyUnlessActsFor } from './forbidden.js';
import { issueApiKey, type IssueApiKeyDeps, type IssuedApiKey } from './issue-api-key.js';
import { userNotFound } from './not-found.js';
import type { ApiKeys } from './ports/api-keys.js';
import type { UserRepo } from './ports/user-repo.js';

const apiKeyNotFound = (userId: number, keyId: string): DomainError =>
  domainError('api_key.not_found', `User ${userId} has no active API key ${keyId}.`);

/** POST /users/{id}/api-keys: another key for the user, by an admin or by the user itself. */
export async function createUserApiKey(deps: IssueApiKeyDeps, actor: Actor, userId: number): Promise<Result<IssuedApiKey, DomainError>> {
  const denied = denyUnlessActsFor(actor, userId, "create another user's keys");
  if (denied) return err(denied);
  return issueApiKey(deps, { role: 'user', userId });
}

/** GET /users/{id}/api-keys: the user's keys not revoked, without secrets. */
export async function listUserApiKeys(
  deps: { apiKeys: Pick<ApiKeys, 'listForUser'>; users: Pick<UserRepo, 'findById'> },
  actor: Actor,
  userId: number,
): Promise<Result<ApiKey[], DomainError>> {
  const denied = denyUnlessActsFor(actor, userId, "list another user's keys");
  if (denied) return err(denied);
  if (!(await deps.users.findById(userId))) return err(userNotFound(userId));
  return ok(await deps.apiKeys.listForUser(userId));
}

/**
 * DELETE /users/{id}/api-keys/{keyId}: the key stops working here at once, and on every other
 * instance once their lookup cache (at most a second) has expired.
 */
export async function revokeUserApiKey(
  deps: { apiKeys: Pick<ApiKeys, 'revoke'>; authenticator: Pick<Authenticator, 'forget'> },
  actor: Actor,
  userId: number,
  keyId: string,
): Promise<Result<void, DomainError>> {
  const denied = denyUnlessActsFor(actor, userId, "revoke another user's keys");
  if (denied) return err(denied);
  if (!(await deps.apiKeys.revoke(userId, keyId))) return err(apiKeyNotFound(userId, keyId));
  deps.authenticator.forget(keyId);
  return ok(undefined);
}
