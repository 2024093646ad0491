export { CatalogStore, type CatalogStoreOptions } from './catalog-store.js';
export * from './in-memory-api-keys.js';
export * from './in-memory-catalog.js';
export * from './in-memory-image-jobs.js';
export * from './in-memory-object-references.js';
export * from './in-memory-object-store.js';
export * from './in-memory-outbox.js';
export * from './in-memory-product-repo.js';
export * from './in-memory-user-repo.js';
