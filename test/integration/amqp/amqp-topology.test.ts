import amqplib from 'amqplib';
import { afterEach, describe, expect, it } from 'vitest';
import { AmqpTaskQueue, type AmqpTaskQueueOptions } from '../../../src/adapters/amqp/index.js';
import type { Delivery } from '../../../src/application/index.js';
import { consumeUnder } from '../../contracts/task-queue.contract.js';
import { deleteTopology, useRabbitMq } from '../../support/rabbitmq.js';
import { eventually } from '../../support/eventually.js';
import { aTaskMessage } from '../../support/mothers.js';

const rabbit = useRabbitMq();
const DELAYS = [50, 100];

describe('AmqpTaskQueue topology', () => {
  const queues: AmqpTaskQueue[] = [];
  const connect = async (options: Partial<AmqpTaskQueueOptions> = {}) => {
    const queue = await AmqpTaskQueue.connect({ url: rabbit.url, retryDelaysMs: DELAYS, connectRetries: 0, ...options });
    queues.push(queue);
    return queue;
  };
  afterEach(async () => {
    for (const queue of queues.splice(0)) await queue.close();
  });

  it('lets two queues declare the same prefix and share its messages', async () => {
    const prefix = rabbit.prefix(DELAYS);
    const producer = await connect({ prefix });
    const worker = await connect({ prefix });
    const seen: Delivery[] = [];
    await consumeUnder(worker, DELAYS, async (delivery) => {
      seen.push(delivery);
      return { type: 'done' };
    });
    const message = aTaskMessage();
    await producer.publish([message]);
    await eventually(() => expect(seen.map((d) => d.id)).toEqual([message.id]));
  });

  it('refuses to start, readably, when a queue exists with other arguments, and leaves it working', async () => {
    const prefix = rabbit.prefix(DELAYS);
    const existing = await connect({ prefix, deliveryLimit: 5 });
    await expect(connect({ prefix, deliveryLimit: 9 })).rejects.toThrow(
      new RegExp(`RabbitMQ queue "${prefix}\\.tasks" already exists with other arguments.*x-delivery-limit`),
    );
    await expect(existing.publish([aTaskMessage()])).resolves.toBeUndefined();
    await expect(existing.probe.check()).resolves.toBeUndefined();
  });

  it('dead-letters a message that crashed its consumer more than deliveryLimit times, then replays it', async () => {
    const prefix = rabbit.prefix(DELAYS);
    const queue = await connect({ prefix, deliveryLimit: 2 });
    const message = aTaskMessage();
    await queue.publish([message]);

    // Each "crash" takes the message and closes the channel without an ack.
    const raw = await amqplib.connect(rabbit.url);
    let deliveries = 0;
    try {
      await eventually(async () => {
        const channel = await raw.createChannel();
        if (await channel.get(`${prefix}.tasks`)) deliveries++;
        await channel.close();
        expect((await queue.list(100)).map((l) => l.id)).toEqual([message.id]);
      });
    } finally {
      await raw.close();
    }
    expect(deliveries).toBe(3);
    const [letter] = await queue.list(100);
    expect(letter).toMatchObject({ ...message, attempts: 1, reason: 'delivery_limit' });
    expect(letter?.dead_at.getTime()).toBeGreaterThan(0);

    const seen: Delivery[] = [];
    await consumeUnder(queue, DELAYS, async (delivery) => {
      seen.push(delivery);
      return { type: 'done' };
    });
    expect(await queue.replay([message.id])).toBe(1);
    await eventually(() => expect(seen).toEqual([{ ...message, attempt: 1, maxAttempts: 3 }]));
    expect(await queue.list(100)).toEqual([]);
  });

  it('dead-letters a message that is not a task without calling the handler, and keeps it out of list and replay', async () => {
    const prefix = rabbit.prefix(DELAYS);
    const queue = await connect({ prefix });
    const handled: string[] = [];
    await consumeUnder(queue, DELAYS, async (delivery) => {
      handled.push(delivery.id);
      return { type: 'done' };
    });
    const raw = await amqplib.connect(rabbit.url);
    try {
      const channel = await raw.createConfirmChannel();
      channel.publish(`${prefix}.tasks`, 'task', Buffer.from('not json'), { messageId: 'junk' });
      await channel.waitForConfirms();
      await eventually(async () => expect((await channel.checkQueue(`${prefix}.dead`)).messageCount).toBe(1));
      expect(await queue.list(100)).toEqual([]);
      expect(await queue.replay('all')).toBe(0);
      expect((await channel.checkQueue(`${prefix}.dead`)).messageCount).toBe(1);
    } finally {
      await raw.close();
    }
    expect(handled).toEqual([]);
  });

  it('lists nothing for a limit below 1 and replays nothing for no ids', async () => {
    const queue = await connect({ prefix: rabbit.prefix(DELAYS) });
    expect(await queue.list(0)).toEqual([]);
    expect(await queue.replay([])).toBe(0);
  });

  it('answers its readiness probe while connected and fails it once closed', async () => {
    const queue = await connect({ prefix: rabbit.prefix(DELAYS) });
    expect(queue.probe.name).toBe('amqp');
    await expect(queue.probe.check()).resolves.toBeUndefined();
    await queue.close();
    await expect(queue.probe.check()).rejects.toThrow(/not connected/);
    await expect(queue.list(100)).rejects.toThrow(/closed/);
    await expect(queue.replay('all')).rejects.toThrow(/closed/);
  });

  it('fails to connect readably, without the password, when the broker is unreachable', async () => {
    const failure = AmqpTaskQueue.connect({ url: 'amqp://app:s3cret@127.0.0.1:1', connectRetries: 0 });
    await expect(failure).rejects.toThrow(/^Cannot connect to RabbitMQ at amqp:\/\/app:\[redacted\]@127\.0\.0\.1:1: .*ECONNREFUSED/);
    await expect(failure).rejects.not.toThrow(/s3cret/);
  });

  it('refuses invalid options before connecting', async () => {
    await expect(AmqpTaskQueue.connect({ url: rabbit.url, prefix: 'has space' })).rejects.toThrow(RangeError);
    await expect(AmqpTaskQueue.connect({ url: rabbit.url, concurrency: 0 })).rejects.toThrow(/concurrency/);
    await expect(AmqpTaskQueue.connect({ url: rabbit.url, retryDelaysMs: [100, 1.5] })).rejects.toThrow(/retryDelaysMs/);
  });

  it('deletes a topology that was never declared without complaint', async () => {
    await expect(deleteTopology(rabbit.url, rabbit.prefix())).resolves.toBeUndefined();
  });
});
