import { InMemoryObjectStore, InMemoryProductRepo, InMemoryUserRepo } from '../../src/adapters/memory/index.js';
import { httpContract } from './http.contract.js';

httpContract('the in-memory fakes', async () => {
  const users = new InMemoryUserRepo();
  const products = new InMemoryProductRepo({ userExists: (id) => users.has(id) });
  return {
    deps: { users, products, objects: new InMemoryObjectStore(), probes: [] },
    close: async () => {
      await Promise.all([products.close(), users.close()]);
    },
  };
});
