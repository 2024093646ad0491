import type { Channel, ChannelModel } from 'amqplib';

/** Exchange, queue and routing-key names under one prefix. */
export interface TopologyNames {
  readonly workExchange: string;
  readonly workQueue: string;
  readonly routingKey: string;
  readonly deadExchange: string;
  readonly deadQueue: string;
  waitQueue(delayMs: number): string;
}

/** What the declared queues depend on; redeclaring with other values is refused by the broker. */
export interface TopologySpec {
  readonly prefix: string;
  readonly retryDelaysMs: readonly number[];
  readonly deliveryLimit: number;
}

/** The names under `prefix`: `<prefix>.tasks`, `<prefix>.dead` and `<prefix>.wait.<ms>`. */
export const topologyNames = (prefix: string): TopologyNames => ({
  workExchange: `${prefix}.tasks`,
  workQueue: `${prefix}.tasks`,
  routingKey: 'task',
  deadExchange: `${prefix}.dead`,
  deadQueue: `${prefix}.dead`,
  waitQueue: (delayMs) => `${prefix}.wait.${delayMs}`,
});

// Quorum queues dead-letter at most once unless both are set (checked on 3.10.8: the broker keeps an
// unroutable dead letter instead of dropping it).
const AT_LEAST_ONCE = { 'x-dead-letter-strategy': 'at-least-once', 'x-overflow': 'reject-publish' };

/**
 * Declares the exchanges and queues idempotently. Throws a readable error when a queue exists with
 * other arguments (the broker closes the channel on such a redeclare, so it runs on its own channel).
 */
export async function declareTopology(model: ChannelModel, spec: TopologySpec): Promise<void> {
  const names = topologyNames(spec.prefix);
  const channel = await model.createChannel();
  // The failing operation rejects with the same error; without a listener it would be thrown.
  channel.on('error', () => undefined);
  try {
    await channel.assertExchange(names.workExchange, 'direct', { durable: true });
    await channel.assertExchange(names.deadExchange, 'fanout', { durable: true });
    await assertQueue(channel, names.deadQueue, { 'x-queue-type': 'classic' });
    await channel.bindQueue(names.deadQueue, names.deadExchange, '');
    await assertQueue(channel, names.workQueue, {
      'x-queue-type': 'quorum',
      // RabbitMQ 3.10 has no default: without it a message that crashes its consumer loops forever.
      'x-delivery-limit': spec.deliveryLimit,
      'x-dead-letter-exchange': names.deadExchange,
      ...AT_LEAST_ONCE,
    });
    await channel.bindQueue(names.workQueue, names.workExchange, names.routingKey);
    for (const delayMs of new Set(spec.retryDelaysMs)) {
      // One queue per delay: every message in it has the same TTL, so the head always expires first.
      await assertQueue(channel, names.waitQueue(delayMs), {
        'x-queue-type': 'quorum',
        'x-message-ttl': delayMs,
        'x-dead-letter-exchange': names.workExchange,
        'x-dead-letter-routing-key': names.routingKey,
        ...AT_LEAST_ONCE,
      });
    }
  } finally {
    await channel.close().catch(() => undefined);
  }
}

async function assertQueue(channel: Channel, name: string, args: Record<string, unknown>): Promise<void> {
  try {
    await channel.assertQueue(name, { durable: true, arguments: args });
  } catch (error) {
    if ((error as { code?: unknown }).code !== 406) throw error;
    throw new Error(
      `RabbitMQ queue "${name}" already exists with other arguments; delete it or use another prefix ` +
        `(${(error as Error).message})`,
      { cause: error },
    );
  }
}
