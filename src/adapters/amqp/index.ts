export { DEFAULT_RETRY_DELAYS_MS, type AmqpLogger, type AmqpTaskQueueOptions } from './amqp-settings.js';
export * from './amqp-task-queue.js';
