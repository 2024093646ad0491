import {
  checkRecord,
  domainError,
  err,
  NEW_USER,
  normalizeEmail,
  validationFailed,
  type DomainError,
  type Result,
  type User,
} from '../domain/index.js';
import type { UserRepo } from './ports/user-repo.js';

/**
 * Registers a product owner; the email is stored trimmed and lower-cased. `input` is taken as
 * received and checked here against `NEW_USER`.
 */
export async function createUser(deps: { users: Pick<UserRepo, 'create'> }, input: unknown): Promise<Result<User, DomainError>> {
  const checked = checkRecord(input, NEW_USER);
  if (!checked.ok) return err(validationFailed(checked.error));
  const email = normalizeEmail(checked.value.email);
  const created = await deps.users.create({ name: checked.value.name.trim(), email });
  if (created.ok) return created;
  return err(
    domainError('user.email_taken', `A user with email ${email} already exists.`, [
      { path: 'email', message: 'is already taken' },
    ]),
  );
}
