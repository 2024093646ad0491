import { ADMIN, err, ok, type Actor, type DomainError, type Result, type User } from '../domain/index.js';
import { denyUnlessActsFor } from './forbidden.js';
import { userNotFound } from './not-found.js';
import type { UserRepo } from './ports/user-repo.js';

/** A user, for an admin or for the user itself (emails are personal data); `actor` defaults to the library's trusted caller. */
export async function getUser(deps: { users: Pick<UserRepo, 'findById'> }, id: number, actor: Actor = ADMIN): Promise<Result<User, DomainError>> {
  const denied = denyUnlessActsFor(actor, id, 'read another user');
  if (denied) return err(denied);
  const user = await deps.users.findById(id);
  return user ? ok(user) : err(userNotFound(id));
}
