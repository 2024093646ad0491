import { afterAll, beforeAll } from 'vitest';
import {
  connectPglite,
  PostgresImageJobs,
  PostgresObjectReferences,
  PostgresOutbox,
  PostgresProductRepo,
  PostgresUserRepo,
  runMigrations,
  type PgliteConnection,
} from '../../../src/adapters/postgres/index.js';
import { productRepoContract } from '../../contracts/product-repo.contract.js';
import type { RepoFixture } from '../../contracts/repo-fixture.js';
import { userRepoContract } from '../../contracts/user-repo.contract.js';
import { backdateIdempotencyKeys } from '../../support/postgres.js';

let connection: PgliteConnection;

// One in-memory PGlite for the file: starting one and migrating it takes about a second.
beforeAll(async () => {
  connection = await connectPglite();
  await runMigrations(connection);
});

afterAll(async () => {
  await connection?.close();
});

const makeRepos = async (): Promise<RepoFixture> => ({
  products: new PostgresProductRepo(connection),
  users: new PostgresUserRepo(connection),
  jobs: new PostgresImageJobs(connection),
  references: new PostgresObjectReferences(connection),
  outbox: new PostgresOutbox(connection),
  elapse: (ms) => backdateIdempotencyKeys(connection.db, ms),
  close: async () => undefined,
});

productRepoContract('PGlite', makeRepos);
userRepoContract('PGlite', makeRepos);
