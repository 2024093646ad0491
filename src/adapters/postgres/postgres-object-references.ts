import { randomUUID } from 'node:crypto';
import { and, arrayContains, eq, gt, or, sql } from 'drizzle-orm';
import type { ObjectReferences } from '../../application/index.js';
import type { Connection, Database } from './connection.js';
import { lockKey } from './key-lock.js';
import type { Limiter } from './limiter.js';
import { objectDeletions, productImages } from './schema.js';

/**
 * ObjectReferences on PostgreSQL or PGlite: deletion leases in `object_deletions`, granted under
 * the key's advisory lock that the referencing writes take too. Each call is one short
 * transaction; nothing here waits on the object store.
 */
export class PostgresObjectReferences implements ObjectReferences {
  readonly #db: Database;
  readonly #limiter: Limiter;

  constructor(connection: Pick<Connection, 'db' | 'limiter'>) {
    this.#db = connection.db;
    this.#limiter = connection.limiter;
  }

  beginDeletion(key: string, leaseMs: number): Promise<string | null> {
    return this.#limiter.run(() =>
      this.#db.transaction(async (tx) => {
        await lockKey(tx, key);
        const [reference] = await tx
          .select({ id: productImages.id })
          .from(productImages)
          .where(or(eq(productImages.compressed_key, key), eq(productImages.source_key, key), arrayContains(productImages.rendition_keys, [key])))
          .limit(1);
        if (reference) return null;
        const token = randomUUID();
        const expires = sql`now() + ${leaseMs} * interval '1 millisecond'`;
        // A lease that expired (its deleter died) may be taken over; a live one means another deletion runs.
        const [granted] = await tx
          .insert(objectDeletions)
          .values({ key, token, expires_at: expires })
          .onConflictDoUpdate({
            target: objectDeletions.key,
            set: { token, expires_at: expires },
            setWhere: sql`${objectDeletions.expires_at} <= now()`,
          })
          .returning({ token: objectDeletions.token });
        return granted ? token : null;
      }),
    );
  }

  async endDeletion(key: string, token: string): Promise<void> {
    await this.#limiter.run(() => this.#db.delete(objectDeletions).where(and(eq(objectDeletions.key, key), eq(objectDeletions.token, token))));
  }

  async deletionInProgress(key: string): Promise<boolean> {
    const rows = await this.#limiter.run(() =>
      this.#db
        .select({ key: objectDeletions.key })
        .from(objectDeletions)
        .where(and(eq(objectDeletions.key, key), gt(objectDeletions.expires_at, sql`now()`))),
    );
    return rows.length > 0;
  }
}
