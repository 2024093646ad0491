import {
  PostgresImageJobs,
  PostgresObjectReferences,
  PostgresOutbox,
  PostgresProductRepo,
  PostgresUserRepo,
  type Connection,
} from '../../src/adapters/postgres/index.js';
import type { RepoFixture } from '../contracts/repo-fixture.js';
import { backdateIdempotencyKeys } from './postgres.js';

/** Every catalog port on one PostgreSQL or PGlite connection, as the contract suites take them. */
export const postgresRepos = (connection: Connection, options: { nameScanLimit?: number } = {}): RepoFixture => ({
  products: new PostgresProductRepo(connection, options),
  users: new PostgresUserRepo(connection),
  jobs: new PostgresImageJobs(connection),
  references: new PostgresObjectReferences(connection),
  outbox: new PostgresOutbox(connection),
  elapse: (ms) => backdateIdempotencyKeys(connection.db, ms),
  close: async () => undefined,
});
