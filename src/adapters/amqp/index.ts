export type { AmqpLogger, AmqpTaskQueueOptions } from './amqp-settings.js';
export * from './amqp-task-queue.js';
export { topologyNames, type TopologyNames } from './topology.js';
