import amqplib from 'amqplib';
import { afterEach, describe, expect, it } from 'vitest';
import { AmqpTaskQueue, type AmqpTaskQueueOptions } from '../../../src/adapters/amqp/index.js';
import type { Delivery, TaskOutcome } from '../../../src/application/index.js';
import { consumeUnder } from '../../contracts/task-queue.contract.js';
import { useRabbitMq } from '../../support/rabbitmq.js';
import { eventually } from '../../support/eventually.js';
import { aTaskMessage } from '../../support/mothers.js';

const rabbit = useRabbitMq();

/** Runs `work` on a channel of a connection of its own, as an operator would. */
async function asOperator(work: (channel: amqplib.Channel) => Promise<void>): Promise<void> {
  const connection = await amqplib.connect(rabbit.url);
  try {
    await work(await connection.createChannel());
  } finally {
    await connection.close();
  }
}

describe('AmqpTaskQueue recovery', () => {
  const queues: AmqpTaskQueue[] = [];
  const connect = async (options: Partial<AmqpTaskQueueOptions> & { retryDelaysMs: number[] }) => {
    const queue = await AmqpTaskQueue.connect({
      url: rabbit.url,
      reconnectMaxDelayMs: 200,
      publishTimeoutMs: 2_000,
      ...options,
      prefix: options.prefix ?? rabbit.prefix(options.retryDelaysMs),
    });
    queues.push(queue);
    return queue;
  };
  afterEach(async () => {
    for (const queue of queues.splice(0)) await queue.close();
  });

  it('declares its topology again after the work queue and exchange were deleted under it', async () => {
    const prefix = rabbit.prefix([50]);
    const queue = await connect({ prefix, retryDelaysMs: [50] });
    const seen: Delivery[] = [];
    await consumeUnder(queue, [50], async (delivery) => {
      seen.push(delivery);
      return { type: 'done' };
    });
    await asOperator(async (channel) => {
      await channel.deleteQueue(`${prefix}.tasks`);
      await channel.deleteExchange(`${prefix}.tasks`);
    });
    const message = aTaskMessage();
    await eventually(() => queue.publish([message]));
    await eventually(() => expect(seen.map((d) => d.id)).toContain(message.id));
  });

  it('rejects a publish the broker refused, then publishes again once reconnected', async () => {
    const prefix = rabbit.prefix([50]);
    const queue = await connect({ prefix, retryDelaysMs: [50] });
    await asOperator(async (channel) => {
      await channel.deleteExchange(`${prefix}.tasks`);
    });
    await expect(queue.publish([aTaskMessage()])).rejects.toThrow(/NOT_FOUND|closed/i);
    await eventually(() => queue.publish([aTaskMessage()]));
  });

  it('rejects a consume the broker refused and never delivers to that handler', async () => {
    const prefix = rabbit.prefix([50]);
    const queue = await connect({ prefix, retryDelaysMs: [50] });
    await asOperator(async (channel) => {
      await channel.deleteQueue(`${prefix}.tasks`);
    });
    const refused: string[] = [];
    await expect(
      consumeUnder(queue, [50], async (delivery) => {
        refused.push(delivery.id);
        return { type: 'done' };
      }),
    ).rejects.toThrow(/NOT_FOUND/);

    const seen: string[] = [];
    const record = async (delivery: Delivery): Promise<TaskOutcome> => {
      seen.push(delivery.id);
      return { type: 'done' };
    };
    await eventually(() => consumeUnder(queue, [50], record));
    const message = aTaskMessage();
    await eventually(() => queue.publish([message]));
    await eventually(() => expect(seen).toContain(message.id));
    expect(refused).toEqual([]);
  });

  it('fails listing with the broker reason when the dead-letter queue is missing', async () => {
    const prefix = rabbit.prefix([50]);
    const queue = await connect({ prefix, retryDelaysMs: [50] });
    await asOperator(async (channel) => {
      await channel.deleteQueue(`${prefix}.dead`);
    });
    await expect(queue.list(100)).rejects.toThrow(/NOT_FOUND/);
    await expect(queue.probe.check()).resolves.toBeUndefined();
  });

  it('dead-letters at once without retry delays, and replays in windows', async () => {
    const queue = await connect({ retryDelaysMs: [], publishWindow: 2 });
    let outcome: TaskOutcome = { type: 'retry', reason: 'no retries configured' };
    const seen: Delivery[] = [];
    await consumeUnder(queue, [], async (delivery) => {
      seen.push(delivery);
      return outcome;
    });
    const messages = Array.from({ length: 5 }, () => aTaskMessage());
    await queue.publish(messages);
    await eventually(async () => expect(await queue.list(100)).toHaveLength(5));
    expect(seen.every((d) => d.attempt === 1 && d.maxAttempts === 1)).toBe(true);
    expect((await queue.list(100))[0]).toMatchObject({ attempts: 1, reason: 'no retries configured' });

    outcome = { type: 'done' };
    expect(await queue.replay('all')).toBe(5);
    await eventually(() => expect(seen).toHaveLength(10));
    expect(new Set(seen.slice(5).map((d) => d.id))).toEqual(new Set(messages.map((m) => m.id)));
    expect(await queue.list(100)).toEqual([]);
  });

  it('reports a thrown non-Error as the retry reason', async () => {
    const queue = await connect({ retryDelaysMs: [] });
    await consumeUnder(queue, [], async () => {
      throw 'plain string failure';
    });
    const message = aTaskMessage();
    await queue.publish([message]);
    await eventually(async () => expect(await queue.list(100)).toMatchObject([{ id: message.id, reason: 'plain string failure' }]));
  });
});
