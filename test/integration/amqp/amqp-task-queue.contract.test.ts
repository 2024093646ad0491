import { AmqpTaskQueue } from '../../../src/adapters/amqp/index.js';
import { taskQueueContract } from '../../contracts/task-queue.contract.js';
import { useRabbitMq } from '../../support/rabbitmq.js';

const rabbit = useRabbitMq();

// Each test gets a topology of its own, so dead letters of one never show up in another.
taskQueueContract('AmqpTaskQueue', async ({ retryDelaysMs, concurrency }) => {
  const queue = await AmqpTaskQueue.connect({ url: rabbit.url, prefix: rabbit.prefix(retryDelaysMs), retryDelaysMs, concurrency });
  return { queue, close: () => queue.close() };
});
