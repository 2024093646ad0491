import { InProcessCache } from '../../src/adapters/in-process/index.js';
import { inMemoryCatalog, InMemoryObjectStore, InMemoryUserRepo } from '../../src/adapters/memory/index.js';
import { createProductReader, type ApiDeps } from '../../src/application/index.js';

/** The API's dependencies on the in-memory fakes, plus the fakes themselves for assertions. */
export function memoryApiDeps(options: { now?: () => Date; objectsBaseUrl?: string } = {}) {
  const users = new InMemoryUserRepo(options.now);
  const catalog = inMemoryCatalog({ userExists: (id) => users.has(id), ...(options.now && { now: options.now }) });
  const objects = new InMemoryObjectStore(options.objectsBaseUrl === undefined ? {} : { publicBaseUrl: options.objectsBaseUrl });
  const cache = new InProcessCache(options.now ? { now: () => options.now!().getTime() } : {});
  const deps: ApiDeps = {
    users,
    products: catalog.products,
    objects,
    references: catalog.references,
    cache,
    productReader: createProductReader({ products: catalog.products, cache }),
    probes: [],
  };
  return { deps, users, ...catalog, objects, cache };
}
