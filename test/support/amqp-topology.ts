import amqplib from 'amqplib';
import { topologyNames } from '../../src/adapters/amqp/index.js';
import { DEFAULT_RETRY_DELAYS_MS } from '../../src/application/index.js';

/** Deletes every exchange and queue under `prefix`; wait queues are named by their delays. Missing ones are ignored. */
export async function deleteTopology(url: string, prefix: string, retryDelaysMs: readonly number[] = DEFAULT_RETRY_DELAYS_MS): Promise<void> {
  const names = topologyNames(prefix);
  const model = await amqplib.connect(url);
  try {
    const channel = await model.createChannel();
    const queues = [names.workQueue, names.deadQueue, ...new Set(retryDelaysMs.map(names.waitQueue))];
    for (const queue of queues) await channel.deleteQueue(queue);
    for (const exchange of [names.workExchange, names.deadExchange]) await channel.deleteExchange(exchange);
  } finally {
    await model.close();
  }
}
