import type { NewUser, Result, User } from '../../domain/index.js';

/** Users own products; emails are unique regardless of case. */
export interface UserRepo {
  /** Stores a user whose email is already normalized; fails when the email is taken. */
  create(user: NewUser): Promise<Result<User, 'user.email_taken'>>;

  /** The user, or null when there is none. */
  findById(id: number): Promise<User | null>;
}
