import { err, ok, type Actor, type DomainError, type Result, type User } from '../domain/index.js';
import { createUser } from './create-user.js';
import { forbidden } from './forbidden.js';
import { issueApiKey, type IssueApiKeyDeps } from './issue-api-key.js';
import type { UserRepo } from './ports/user-repo.js';

/**
 * POST /users: an admin creates a user and gets, this once, a key acting for it. Should the key
 * fail to be stored, the user stays and an admin issues one with createUserApiKey.
 */
export async function registerUser(
  deps: IssueApiKeyDeps & { users: Pick<UserRepo, 'create'> },
  actor: Actor,
  input: unknown,
): Promise<Result<{ user: User; apiKey: string }, DomainError>> {
  if (actor.kind !== 'admin') return err(forbidden('create users'));
  const created = await createUser(deps, input);
  if (!created.ok) return created;
  const issued = await issueApiKey(deps, { role: 'user', userId: created.value.id });
  if (!issued.ok) return issued;
  return ok({ user: created.value, apiKey: issued.value.apiKey });
}
