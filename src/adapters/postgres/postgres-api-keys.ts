import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { ApiKeys, NewApiKey, StoredApiKey } from '../../application/index.js';
import type { ApiKey } from '../../domain/index.js';
import type { Connection, Database } from './connection.js';
import type { Limiter } from './limiter.js';
import { violates } from './pg-error.js';
import { apiKeys } from './schema.js';

const publicColumns = {
  id: apiKeys.id,
  role: apiKeys.role,
  user_id: apiKeys.user_id,
  created_at: apiKeys.created_at,
  last_used_at: apiKeys.last_used_at,
};
const storedColumns = { ...publicColumns, secret_digest: apiKeys.secret_digest, revoked_at: apiKeys.revoked_at };

/** ApiKeys on PostgreSQL or PGlite: a lookup is one primary-key read. */
export class PostgresApiKeys implements ApiKeys {
  readonly #db: Database;
  readonly #limiter: Limiter;
  readonly #byId;

  constructor(connection: Pick<Connection, 'db' | 'limiter'>) {
    this.#db = connection.db;
    this.#limiter = connection.limiter;
    this.#byId = this.#db.select(storedColumns).from(apiKeys).where(eq(apiKeys.id, sql.placeholder('id'))).prepare('api_keys_by_id');
  }

  async create(key: NewApiKey): Promise<ApiKey | 'user.not_found'> {
    return this.#limiter.run(async () => {
      try {
        const [created] = await this.#db.insert(apiKeys).values(key).returning(publicColumns);
        return created!;
      } catch (error) {
        if (violates(error, '23503', 'api_keys_user_id_users_id_fk')) return 'user.not_found';
        throw error;
      }
    });
  }

  async findById(id: string): Promise<StoredApiKey | null> {
    const [key] = await this.#limiter.run(() => this.#byId.execute({ id }));
    return key ?? null;
  }

  listForUser(userId: number): Promise<ApiKey[]> {
    return this.#limiter.run(() =>
      this.#db
        .select(publicColumns)
        .from(apiKeys)
        .where(and(eq(apiKeys.user_id, userId), isNull(apiKeys.revoked_at)))
        .orderBy(asc(apiKeys.created_at), asc(apiKeys.id)),
    );
  }

  async revoke(userId: number, id: string): Promise<boolean> {
    const revoked = await this.#limiter.run(() =>
      this.#db
        .update(apiKeys)
        .set({ revoked_at: sql`now()` })
        .where(and(eq(apiKeys.id, id), eq(apiKeys.user_id, userId), isNull(apiKeys.revoked_at)))
        .returning({ id: apiKeys.id }),
    );
    return revoked.length > 0;
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.#limiter.run(() => this.#db.update(apiKeys).set({ last_used_at: at }).where(eq(apiKeys.id, id)));
  }

  async hasAdmin(): Promise<boolean> {
    const [row] = await this.#limiter.run(() =>
      this.#db
        .select({ id: apiKeys.id })
        .from(apiKeys)
        .where(and(eq(apiKeys.role, 'admin'), isNull(apiKeys.revoked_at)))
        .limit(1),
    );
    return row !== undefined;
  }
}
