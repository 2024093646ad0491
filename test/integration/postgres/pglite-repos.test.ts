import { afterAll, beforeAll } from 'vitest';
import { connectPglite, runMigrations, type PgliteConnection } from '../../../src/adapters/postgres/index.js';
import { productRepoContract } from '../../contracts/product-repo.contract.js';
import { userRepoContract } from '../../contracts/user-repo.contract.js';
import { postgresRepos } from '../../support/postgres-repos.js';

let connection: PgliteConnection;

// One in-memory PGlite for the file: starting one and migrating it takes about a second.
beforeAll(async () => {
  connection = await connectPglite();
  await runMigrations(connection);
});

afterAll(async () => {
  await connection?.close();
});

const makeRepos = async () => postgresRepos(connection);

productRepoContract('PGlite', makeRepos);
userRepoContract('PGlite', makeRepos);
