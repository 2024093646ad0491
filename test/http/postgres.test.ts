import { InMemoryObjectStore } from '../../src/adapters/memory/index.js';
import { connectPostgres, PostgresProductRepo, PostgresUserRepo } from '../../src/adapters/postgres/index.js';
import { createTestDatabase } from '../support/postgres.js';
import { httpContract } from './http.contract.js';

// The same endpoint suite as on the fakes, end to end through real PostgreSQL.
httpContract('PostgreSQL', async () => {
  const database = await createTestDatabase();
  const connection = await connectPostgres({ url: database.url, max: 4 });
  return {
    deps: {
      users: new PostgresUserRepo(connection),
      products: new PostgresProductRepo(connection),
      objects: new InMemoryObjectStore(),
      probes: [connection.probe],
    },
    close: async () => {
      await connection.close();
      await database.drop();
    },
  };
});
