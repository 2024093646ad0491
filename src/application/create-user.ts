import {
  domainError,
  err,
  normalizeEmail,
  userProblems,
  validationFailed,
  type DomainError,
  type NewUser,
  type Result,
  type User,
} from '../domain/index.js';
import type { UserRepo } from './ports/user-repo.js';

/** Registers a product owner; the email is stored trimmed and lower-cased. */
export async function createUser(
  deps: { users: Pick<UserRepo, 'create'> },
  input: NewUser,
): Promise<Result<User, DomainError>> {
  const problems = userProblems(input);
  if (problems.length > 0) return err(validationFailed(problems));
  const email = normalizeEmail(input.email);
  const created = await deps.users.create({ name: input.name.trim(), email });
  if (created.ok) return created;
  return err(
    domainError('user.email_taken', `A user with email ${email} already exists.`, [
      { path: 'email', message: 'is already taken' },
    ]),
  );
}
