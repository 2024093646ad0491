import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { PostgresProductRepo, PostgresUserRepo } from '../../../src/adapters/postgres/index.js';
import { aNewProduct, aNewUser } from '../../support/mothers.js';
import { usePostgres } from '../../support/postgres.js';

const db = usePostgres({ max: 2 });

describe('Postgres repositories on failures they do not translate', () => {
  it('let a user error other than a taken email reach the caller', async () => {
    // PostgreSQL text cannot hold NUL; the server refuses it with 22021.
    await expect(new PostgresUserRepo(db.connection).create(aNewUser({ name: 'nul\u0000name' }))).rejects.toThrow();
  });

  it('refuse to replay a key record that has no response', async () => {
    await db.connection.db.execute(sql`insert into idempotency_keys (key, fingerprint) values ('no-response', 'fp')`);
    const users = await new PostgresUserRepo(db.connection).create(aNewUser());
    if (!users.ok) throw new Error(users.error);
    const products = new PostgresProductRepo(db.connection);
    await expect(products.create(aNewProduct(users.value.id), { idempotency: { key: 'no-response', fingerprint: 'fp' } })).rejects.toThrow(
      'Idempotency key no-response has no recorded response',
    );
  });
});
