import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres, PostgresProductRepo, PostgresUserRepo, type PostgresConnection } from '../../../src/adapters/postgres/index.js';
import { aNewProduct, aNewUser } from '../../support/mothers.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.js';

let database: TestDatabase;
let connection: PostgresConnection;

beforeAll(async () => {
  database = await createTestDatabase();
  connection = await connectPostgres({ url: database.url, max: 2 });
});

afterAll(async () => {
  await connection?.close();
  await database?.drop();
});

describe('Postgres repositories on failures they do not translate', () => {
  it('let a user error other than a taken email reach the caller', async () => {
    // PostgreSQL text cannot hold NUL; the server refuses it with 22021.
    await expect(new PostgresUserRepo(connection).create(aNewUser({ name: 'nul\u0000name' }))).rejects.toThrow();
  });

  it('refuse to replay a key record that has no response', async () => {
    await connection.db.execute(sql`insert into idempotency_keys (key, fingerprint) values ('no-response', 'fp')`);
    const users = await new PostgresUserRepo(connection).create(aNewUser());
    if (!users.ok) throw new Error(users.error);
    const products = new PostgresProductRepo(connection);
    await expect(products.create(aNewProduct(users.value.id), { idempotency: { key: 'no-response', fingerprint: 'fp' } })).rejects.toThrow(
      'Idempotency key no-response has no recorded response',
    );
  });
});
