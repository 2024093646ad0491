import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmqpTaskQueue, type AmqpLogger } from '../../../src/adapters/amqp/index.js';
import type { Delivery, TaskOutcome } from '../../../src/application/index.js';
import { consumeUnder } from '../../contracts/task-queue.contract.js';
import { useRabbitMq } from '../../support/rabbitmq.js';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy.js';
import { eventually } from '../../support/eventually.js';
import { aTaskMessage } from '../../support/mothers.js';

const rabbit = useRabbitMq();
const DELAYS = [50, 100];
const DONE: TaskOutcome = { type: 'done' };

describe('AmqpTaskQueue when the broker goes away', () => {
  let proxy: TcpProxy;
  const queues: AmqpTaskQueue[] = [];
  beforeAll(async () => {
    const target = new URL(rabbit.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5672));
  });
  afterAll(async () => {
    proxy.restore();
    for (const queue of queues) await queue.close();
    await proxy.close();
  });

  const connectThroughProxy = async (logger?: AmqpLogger) => {
    proxy.restore();
    const queue = await AmqpTaskQueue.connect({
      logger,
      url: proxy.url(rabbit.url),
      prefix: rabbit.prefix(DELAYS),
      retryDelaysMs: DELAYS,
      concurrency: 1,
      publishTimeoutMs: 500,
      reconnectMaxDelayMs: 200,
    });
    queues.push(queue);
    return queue;
  };

  it('rejects publishes while cut, resumes on the same instance, and loses nothing it confirmed', async () => {
    const queue = await connectThroughProxy();
    const seen = new Set<string>();
    const early = await consumeUnder(queue, DELAYS, async (delivery) => {
      seen.add(delivery.id);
      return DONE;
    });
    const confirmed: string[] = [];
    const before = Array.from({ length: 150 }, () => aTaskMessage());
    await queue.publish(before);
    confirmed.push(...before.map((m) => m.id));

    const inFlight = queue.publish(Array.from({ length: 1000 }, () => aTaskMessage()));
    proxy.cut();
    await expect(inFlight).rejects.toThrow();
    await expect(queue.publish([aTaskMessage()])).rejects.toThrow();
    await eventually(() => expect(queue.probe.check()).rejects.toThrow(/not connected/));
    await expect(queue.list(100)).rejects.toThrow(/not connected/);
    // A consumer started while the broker is away subscribes once it is back.
    const lateSeen = new Set<string>();
    await consumeUnder(queue, DELAYS, async (delivery) => {
      lateSeen.add(delivery.id);
      return DONE;
    });

    proxy.restore();
    const after = Array.from({ length: 150 }, () => aTaskMessage());
    await eventually(() => queue.publish(after));
    confirmed.push(...after.map((m) => m.id));
    await expect(queue.probe.check()).resolves.toBeUndefined();
    await eventually(() => expect(confirmed.filter((id) => !seen.has(id) && !lateSeen.has(id))).toEqual([]));

    await early.stop();
    const last = aTaskMessage();
    await queue.publish([last]);
    await eventually(() => expect(lateSeen.has(last.id)).toBe(true));
  });

  it('redelivers a message whose consumer lost its connection mid-handler', async () => {
    const logged: string[] = [];
    const record = (_fields: object, message: string) => void logged.push(message);
    const queue = await connectThroughProxy({ info: record, warn: record, error: record });
    const deliveries: Delivery[] = [];
    let release!: (outcome: TaskOutcome) => void;
    const firstOutcome = new Promise<TaskOutcome>((resolve) => (release = resolve));
    await consumeUnder(queue, DELAYS, async (delivery) => {
      deliveries.push(delivery);
      return deliveries.length === 1 ? firstOutcome : DONE;
    });
    const message = aTaskMessage();
    await queue.publish([message]);
    await eventually(() => expect(deliveries).toHaveLength(1));

    proxy.cut();
    await eventually(() => expect(queue.probe.check()).rejects.toThrow(/not connected/));
    // The handler finishes after its connection died: neither its retry nor its ack reaches the broker.
    release({ type: 'retry', reason: 'finished too late' });
    await eventually(() => expect(logged).toContain('task settlement not published; requeueing'));
    proxy.restore();
    await eventually(() => expect(deliveries).toHaveLength(2));
    // A crash redelivery is not a retry: the attempt stays 1.
    expect(deliveries.map((d) => [d.id, d.attempt])).toEqual([
      [message.id, 1],
      [message.id, 1],
    ]);
  });
});
