import type { ChannelModel } from 'amqplib';
import type { QueueFigures } from '../../application/metric-samples.js';
import type { TopologyNames } from './topology.js';

/**
 * Messages ready and consumers of the work queue, the wait queues (summed as `retry`) and the
 * dead-letter queue, as the broker reports them (`queue.declare` passive), on a channel of their own.
 */
export async function queueDepths(model: ChannelModel, names: TopologyNames, retryDelaysMs: readonly number[]): Promise<QueueFigures[]> {
  const channel = await model.createChannel();
  // A passive declare of a missing queue closes the channel; the rejection says so already.
  channel.on('error', () => undefined);
  try {
    const check = (queue: string) => channel.checkQueue(queue);
    const work = await check(names.workQueue);
    const waits = await Promise.all([...new Set(retryDelaysMs)].map((delay) => check(names.waitQueue(delay))));
    const dead = await check(names.deadQueue);
    const sum = (key: 'messageCount' | 'consumerCount') => waits.reduce((total, wait) => total + wait[key], 0);
    return [
      { queue: 'work', messages: work.messageCount, consumers: work.consumerCount },
      { queue: 'retry', messages: sum('messageCount'), consumers: sum('consumerCount') },
      { queue: 'dead', messages: dead.messageCount, consumers: dead.consumerCount },
    ];
  } finally {
    await channel.close().catch(() => undefined);
  }
}
