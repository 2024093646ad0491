import { EventEmitter } from 'node:events';
import type { ChannelModel, ConsumeMessage } from 'amqplib';
import { describe, expect, it, vi } from 'vitest';
import type { AmqpConnection } from '../../../src/adapters/amqp/amqp-connection.js';
import { AmqpConsumer } from '../../../src/adapters/amqp/amqp-consumer.js';
import { encodeTask } from '../../../src/adapters/amqp/message-codec.js';
import { topologyNames } from '../../../src/adapters/amqp/topology.js';
import type { SettleTask } from '../../../src/application/index.js';
import { aTaskMessage } from '../../support/mothers.js';

// Races a real broker makes rare (a delivery arriving as stop() begins, a channel closing under a
// settle) are driven here with a stand-in channel; the broker tests cover the ordinary paths.

class FakeChannel extends EventEmitter {
  readonly settled: Array<[string, boolean?]> = [];
  deliver: ((message: ConsumeMessage | null) => void) | undefined;
  failSettles = false;
  async prefetch(): Promise<void> {}
  async consume(_queue: string, onMessage: (message: ConsumeMessage | null) => void) {
    this.deliver = onMessage;
    return { consumerTag: 'tag' };
  }
  async cancel(): Promise<void> {}
  ack(): void {
    if (this.failSettles) throw new Error('Channel closed');
    this.settled.push(['ack']);
  }
  nack(_message: unknown, _allUpTo: boolean, requeue: boolean): void {
    this.settled.push(['nack', requeue]);
  }
  async close(): Promise<void> {
    this.emit('close');
  }
}

function setUp(settle: SettleTask = async () => ({ type: 'ack' })) {
  const channel = new FakeChannel();
  const model = { createChannel: async () => channel } as unknown as ChannelModel;
  const connection = { recycle: vi.fn(), removeListener: vi.fn() };
  const warnings: string[] = [];
  const logger = { info: vi.fn(), warn: (_: object, message: string) => void warnings.push(message), error: vi.fn() };
  const consumer = new AmqpConsumer({
    connection: connection as unknown as AmqpConnection,
    queue: 'q.tasks',
    concurrency: 2,
    context: { settle, names: topologyNames('q'), waitDelaysMs: [], publish: async () => undefined, logger },
  });
  return { channel, model, connection, consumer, warnings };
}

const aDelivery = (): ConsumeMessage => {
  const { content, options } = encodeTask({ exchange: 'q.tasks', routingKey: 'task' }, aTaskMessage(), 1);
  return { content, fields: { deliveryTag: 1 }, properties: { headers: options.headers } } as unknown as ConsumeMessage;
};

describe('AmqpConsumer', () => {
  it('hands back a delivery that arrives once stop() has begun', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { channel, model, consumer } = setUp(async () => {
      await gate;
      return { type: 'ack' };
    });
    await consumer.attach(model);
    channel.deliver?.(aDelivery());
    const stopping = consumer.stop();
    channel.deliver?.(aDelivery());
    channel.deliver?.(null);
    release();
    await stopping;
    expect(channel.settled).toEqual([['nack', true], ['ack']]);
  });

  it('leaves a delivery to the broker when its channel closed or refuses the ack', async () => {
    const { channel, model, consumer, warnings } = setUp();
    await consumer.attach(model);
    channel.failSettles = true;
    channel.deliver?.(aDelivery());
    await consumer.stop();
    expect(warnings).toEqual(['amqp delivery not settled; the broker will redeliver it']);
    channel.deliver?.(aDelivery());
    expect(channel.settled).toEqual([]);
  });

  it('reconnects when the broker closes its channel or cancels it, but not once stopping', async () => {
    const { channel, model, connection, consumer } = setUp();
    await consumer.attach(model);
    const failure = new Error('PRECONDITION_FAILED');
    channel.emit('error', failure);
    channel.deliver?.(null);
    expect(connection.recycle.mock.calls).toEqual([
      [model, 'amqp consumer channel closed by the broker', failure],
      [model, 'amqp consumer cancelled by the broker'],
    ]);
    await consumer.stop();
    channel.emit('error', failure);
    expect(connection.recycle).toHaveBeenCalledTimes(2);
  });

  it('does not subscribe after stop(), and closes a channel that was opening meanwhile', async () => {
    const { channel, model, consumer } = setUp();
    const closed = vi.fn();
    channel.on('close', closed);
    const opening = consumer.attach(model);
    await consumer.stop();
    await opening;
    expect(closed).toHaveBeenCalled();
    const deliver = channel.deliver;
    await consumer.attach(model);
    expect(channel.deliver).toBe(deliver);
  });
});
