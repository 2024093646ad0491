import { CatalogStore, type CatalogStoreOptions } from './catalog-store.js';
import { InMemoryImageJobs } from './in-memory-image-jobs.js';
import { InMemoryObjectReferences } from './in-memory-object-references.js';
import { InMemoryProductRepo } from './in-memory-product-repo.js';

/** The fakes of the catalog's tables over one store, as the PostgreSQL adapters share a database. */
export function inMemoryCatalog(options: CatalogStoreOptions) {
  const store = new CatalogStore(options);
  return {
    products: new InMemoryProductRepo(store),
    jobs: new InMemoryImageJobs(store),
    references: new InMemoryObjectReferences(store),
    outbox: store.outbox,
  };
}
