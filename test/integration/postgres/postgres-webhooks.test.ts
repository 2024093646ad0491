import { sql } from 'drizzle-orm';
import { afterAll, beforeAll } from 'vitest';
import { connectPglite, PostgresUserRepo, PostgresWebhooks, runMigrations, type Connection, type PgliteConnection } from '../../../src/adapters/postgres/index.js';
import { webhooksContract } from '../../contracts/webhooks.contract.js';
import { usePostgres } from '../../support/postgres.js';

// Subscriptions are looked up across the table, so each test starts with no endpoints.
const fixture = (connection: Connection) => ({
  webhooks: new PostgresWebhooks(connection),
  users: new PostgresUserRepo(connection),
  close: async () => {
    await connection.db.execute(sql`delete from webhooks`);
  },
});

const db = usePostgres({ max: 2 });
webhooksContract('PostgreSQL', async () => fixture(db.connection));

let pglite: PgliteConnection;
beforeAll(async () => {
  pglite = await connectPglite();
  await runMigrations(pglite);
});
afterAll(async () => {
  await pglite?.close();
});
webhooksContract('PGlite', async () => fixture(pglite));
