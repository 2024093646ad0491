import { describe, expect, it } from 'vitest';
import { AmqpTaskQueue } from '../../../src/adapters/amqp/index.js';
import type { MetricSample } from '../../../src/application/index.js';
import { eventually } from '../../support/eventually.js';
import { aTaskMessage } from '../../support/mothers.js';
import { useRabbitMq } from '../../support/rabbitmq.js';

const rabbit = useRabbitMq();

const byQueue = (samples: readonly MetricSample[]) =>
  Object.fromEntries(samples.map((sample) => [`${sample.name}{${sample.labels?.queue}}`, sample.value]));

describe('AmqpTaskQueue metrics', () => {
  it('reports the broker\'s depth and consumers of the work, retry and dead-letter queues', async () => {
    const retryDelaysMs = [60_000, 120_000];
    const queue = await AmqpTaskQueue.connect({ url: rabbit.url, prefix: rabbit.prefix(retryDelaysMs), retryDelaysMs, concurrency: 1 });
    let release: (() => void) | undefined;
    try {
      expect(byQueue(await queue.metrics())).toEqual({
        'task_queue_messages{work}': 0,
        'task_queue_messages{retry}': 0,
        'task_queue_messages{dead}': 0,
        'task_queue_consumers{work}': 0,
        'task_queue_consumers{retry}': 0,
        'task_queue_consumers{dead}': 0,
      });
      await queue.publish([aTaskMessage({ id: 'retried' }), aTaskMessage({ id: 'dead' }), aTaskMessage({ id: 'ready' })]);
      await eventually(async () => expect(byQueue(await queue.metrics())['task_queue_messages{work}']).toBe(3));
      // One consumer settles the first two; the third stays unacknowledged in its hands.
      const held = new Promise<{ type: 'ack' }>((resolve) => {
        release = () => resolve({ type: 'ack' });
      });
      const consumer = await queue.consume(async (task) => {
        if (task.id === 'retried') return { type: 'retry', attempt: 2, delayMs: 60_000, reason: 'busy' };
        if (task.id === 'dead') return { type: 'dead', attempts: 1, reason: 'bad' };
        return held;
      });
      await eventually(async () =>
        expect(byQueue(await queue.metrics())).toMatchObject({
          'task_queue_messages{work}': 0,
          'task_queue_messages{retry}': 1,
          'task_queue_messages{dead}': 1,
          'task_queue_consumers{work}': 1,
        }),
      { timeout: 10_000 });
      release?.();
      await consumer.stop();
    } finally {
      release?.();
      await queue.close();
    }
    await expect(queue.metrics()).rejects.toThrow(/closed/);
  });
});
