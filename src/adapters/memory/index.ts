export * from './disabled-cache.js';
export * from './in-memory-object-store.js';
export * from './in-memory-outbox.js';
export * from './in-memory-product-repo.js';
export * from './in-memory-user-repo.js';
export * from './in-process-cache.js';
export * from './in-process-task-queue.js';
