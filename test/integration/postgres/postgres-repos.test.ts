import { productRepoContract } from '../../contracts/product-repo.contract.js';
import { userRepoContract } from '../../contracts/user-repo.contract.js';
import { usePostgres } from '../../support/postgres.js';
import { postgresRepos } from '../../support/postgres-repos.js';

// One database per file; every test arranges its own users, so tests do not see each other.
const db = usePostgres();
const makeRepos = async () => postgresRepos(db.connection);

productRepoContract('PostgreSQL', makeRepos);
userRepoContract('PostgreSQL', makeRepos);
// The contract's users own a handful of products, so name filters take the row-by-row plan; with
// the limit at 0 every name filter goes through the trigram index instead, and must agree.
productRepoContract('PostgreSQL, names through the trigram index', async () => postgresRepos(db.connection, { nameScanLimit: 0 }));
