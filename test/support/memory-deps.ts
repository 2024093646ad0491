import { InProcessCache, InProcessTaskQueue } from '../../src/adapters/in-process/index.js';
import { inMemoryCatalog, InMemoryApiKeys, InMemoryObjectStore, InMemoryUserRepo, InMemoryWebhooks } from '../../src/adapters/memory/index.js';
import { NodeKeyCrypto } from '../../src/adapters/node-crypto/index.js';
import { createAuthenticator, createListReader, createProductReader, type ApiDeps } from '../../src/application/index.js';
import { TEST_ADMIN_KEY } from './admin-key.js';

/** The API's dependencies on the in-memory fakes, plus the fakes themselves for assertions; TEST_ADMIN_KEY is the admin key. */
export function memoryApiDeps(options: { now?: () => Date; objectsBaseUrl?: string } = {}) {
  const users = new InMemoryUserRepo(options.now);
  const catalog = inMemoryCatalog({ userExists: (id) => users.has(id), ...(options.now && { now: options.now }) });
  const objects = new InMemoryObjectStore(options.objectsBaseUrl === undefined ? {} : { publicBaseUrl: options.objectsBaseUrl });
  const cache = new InProcessCache(options.now ? { now: () => options.now!().getTime() } : {});
  const apiKeys = new InMemoryApiKeys((id) => users.has(id), options.now);
  const crypto = new NodeKeyCrypto();
  const webhooks = new InMemoryWebhooks(options.now ? { now: options.now } : {});
  // The embedded queue's dead letters: empty until a test settles a task to them.
  const queue = new InProcessTaskQueue();
  const deps: ApiDeps = {
    users,
    apiKeys,
    crypto,
    authenticator: createAuthenticator({ apiKeys, crypto }, { adminKey: TEST_ADMIN_KEY }),
    products: catalog.products,
    objects,
    references: catalog.references,
    cache,
    webhooks,
    productReader: createProductReader({ products: catalog.products, cache }),
    listReader: createListReader({ products: catalog.products, cache }),
    deadLetters: queue,
    probes: [],
  };
  return { deps, users, apiKeys, ...catalog, objects, cache, webhooks, queue };
}
