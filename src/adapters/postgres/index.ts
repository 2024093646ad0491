export * from './connect-pglite.js';
export * from './connect-postgres.js';
export type * from './connection.js';
export * from './limiter.js';
export * from './postgres-outbox.js';
export * from './postgres-product-repo.js';
export * from './postgres-user-repo.js';
export * from './run-migrations.js';
export * as schema from './schema.js';
