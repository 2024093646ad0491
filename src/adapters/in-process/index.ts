export * from './disabled-cache.js';
export * from './in-process-cache.js';
export * from './in-process-task-queue.js';
export * from './in-process-rate-limiter.js';
export * from './in-process-event-stream.js';
