import { afterAll, beforeAll } from 'vitest';
import {
  connectPostgres,
  PostgresImageJobs,
  PostgresObjectReferences,
  PostgresOutbox,
  PostgresProductRepo,
  PostgresUserRepo,
  type PostgresConnection,
} from '../../../src/adapters/postgres/index.js';
import { productRepoContract } from '../../contracts/product-repo.contract.js';
import type { RepoFixture } from '../../contracts/repo-fixture.js';
import { userRepoContract } from '../../contracts/user-repo.contract.js';
import { backdateIdempotencyKeys, createTestDatabase, type TestDatabase } from '../../support/postgres.js';

let database: TestDatabase;
let connection: PostgresConnection;

beforeAll(async () => {
  database = await createTestDatabase();
  connection = await connectPostgres({ url: database.url, max: 4 });
});

afterAll(async () => {
  await connection?.close();
  await database?.drop();
});

// One database per file; every test arranges its own users, so tests do not see each other.
const makeRepos = async (): Promise<RepoFixture> => ({
  products: new PostgresProductRepo(connection),
  users: new PostgresUserRepo(connection),
  jobs: new PostgresImageJobs(connection),
  references: new PostgresObjectReferences(connection),
  outbox: new PostgresOutbox(connection),
  elapse: (ms) => backdateIdempotencyKeys(connection.db, ms),
  close: async () => undefined,
});

productRepoContract('PostgreSQL', makeRepos);
userRepoContract('PostgreSQL', makeRepos);
// The contract's users own a handful of products, so name filters take the row-by-row plan; with
// the limit at 0 every name filter goes through the trigram index instead, and must agree.
productRepoContract('PostgreSQL, names through the trigram index', async () => ({
  ...(await makeRepos()),
  products: new PostgresProductRepo(connection, { nameScanLimit: 0 }),
}));
