import { eq, sql } from 'drizzle-orm';
import type { UserRepo } from '../../application/index.js';
import { err, ok, type NewUser, type Result, type User } from '../../domain/index.js';
import type { Connection, Database } from './connection.js';
import type { Limiter } from './limiter.js';
import { violates } from './pg-error.js';
import { users } from './schema.js';

const userColumns = { id: users.id, name: users.name, email: users.email, created_at: users.created_at };

/** UserRepo on PostgreSQL or PGlite; the unique index on lower(email) decides `email_taken`. */
export class PostgresUserRepo implements UserRepo {
  readonly #db: Database;
  readonly #limiter: Limiter;
  readonly #byId;

  constructor(connection: Pick<Connection, 'db' | 'limiter'>) {
    this.#db = connection.db;
    this.#limiter = connection.limiter;
    this.#byId = this.#db.select(userColumns).from(users).where(eq(users.id, sql.placeholder('id'))).prepare('users_by_id');
  }

  async create(input: NewUser): Promise<Result<User, 'user.email_taken'>> {
    return this.#limiter.run(async () => {
      try {
        const [user] = await this.#db.insert(users).values({ name: input.name, email: input.email }).returning(userColumns);
        return ok(user!);
      } catch (error) {
        if (violates(error, '23505', 'users_email_lower_key')) return err('user.email_taken');
        throw error;
      }
    });
  }

  async findById(id: number): Promise<User | null> {
    const [user] = await this.#limiter.run(() => this.#byId.execute({ id }));
    return user ?? null;
  }
}
