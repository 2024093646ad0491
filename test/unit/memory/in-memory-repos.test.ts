import { inMemoryCatalog, InMemoryUserRepo } from '../../../src/adapters/memory/index.js';
import { productRepoContract } from '../../contracts/product-repo.contract.js';
import type { RepoFixture } from '../../contracts/repo-fixture.js';
import { userRepoContract } from '../../contracts/user-repo.contract.js';

// Fresh fakes for every test; the clock runs in real time plus whatever `elapse` added.
async function makeRepos(): Promise<RepoFixture> {
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  const users = new InMemoryUserRepo(now);
  const catalog = inMemoryCatalog({ userExists: (id) => users.has(id), now });
  return {
    users,
    ...catalog,
    elapse: async (ms) => {
      offset += ms;
    },
    close: async () => {
      await Promise.all([catalog.products.close(), users.close()]);
    },
  };
}

productRepoContract('in-memory', makeRepos);
userRepoContract('in-memory', makeRepos);
