import { err, ok, type DomainError, type Result, type User } from '../domain/index.js';
import { userNotFound } from './not-found.js';
import type { UserRepo } from './ports/user-repo.js';

export async function getUser(deps: { users: Pick<UserRepo, 'findById'> }, id: number): Promise<Result<User, DomainError>> {
  const user = await deps.users.findById(id);
  return user ? ok(user) : err(userNotFound(id));
}
