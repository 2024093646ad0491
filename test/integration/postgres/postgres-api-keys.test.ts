import { sql } from 'drizzle-orm';
import { afterAll, beforeAll } from 'vitest';
import { connectPglite, PostgresApiKeys, PostgresUserRepo, runMigrations, type Connection, type PgliteConnection } from '../../../src/adapters/postgres/index.js';
import { apiKeysContract } from '../../contracts/api-keys.contract.js';
import { usePostgres } from '../../support/postgres.js';

// The contract counts admin keys, so each test starts with none: the fixture empties the table.
const fixture = (connection: Connection) => ({
  apiKeys: new PostgresApiKeys(connection),
  users: new PostgresUserRepo(connection),
  close: async () => {
    await connection.db.execute(sql`delete from api_keys`);
  },
});

const db = usePostgres({ max: 2 });
apiKeysContract('PostgreSQL', async () => fixture(db.connection));

let pglite: PgliteConnection;
beforeAll(async () => {
  pglite = await connectPglite();
  await runMigrations(pglite);
});
afterAll(async () => {
  await pglite?.close();
});
apiKeysContract('PGlite', async () => fixture(pglite));
