import type { UserRepo } from '../../application/index.js';
import { err, ok, type NewUser, type Result, type User } from '../../domain/index.js';

/** UserRepo in a Map, for unit tests and single-process use. */
export class InMemoryUserRepo implements UserRepo {
  readonly #users = new Map<number, User>();
  #nextId = 1;

  constructor(private readonly now: () => Date = () => new Date()) {}

  async create(input: NewUser): Promise<Result<User, 'user.email_taken'>> {
    const email = input.email.toLowerCase();
    for (const user of this.#users.values()) {
      if (user.email.toLowerCase() === email) return err('user.email_taken');
    }
    const user: User = { id: this.#nextId++, name: input.name, email: input.email, created_at: this.now() };
    this.#users.set(user.id, user);
    return ok(user);
  }

  async findById(id: number): Promise<User | null> {
    return this.#users.get(id) ?? null;
  }

  /** Whether a user exists; stands in for the foreign key products have in PostgreSQL. */
  has(id: number): boolean {
    return this.#users.has(id);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
