import { InMemoryObjectStore, InMemoryProductRepo, InMemoryUserRepo, InProcessCache } from '../../src/adapters/memory/index.js';
import { createProductReader } from '../../src/application/index.js';
import { httpContract } from './http.contract.js';

httpContract('the in-memory fakes', async () => {
  const users = new InMemoryUserRepo();
  const products = new InMemoryProductRepo({ userExists: (id) => users.has(id) });
  const cache = new InProcessCache();
  return {
    deps: { users, products, objects: new InMemoryObjectStore(), cache, productReader: createProductReader({ products, cache }), probes: [] },
    close: async () => {
      await Promise.all([products.close(), users.close()]);
    },
  };
});
