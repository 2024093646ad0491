import type { Channel, ChannelModel, ConsumeMessage, Message } from 'amqplib';
import type { Consumer } from '../../application/ports/task-consumer.js';
import type { AmqpConnection } from './amqp-connection.js';
import { handleDelivery, type DeliveryContext } from './handle-delivery.js';

/** The connection to (re)subscribe on, the queue, the prefetch and how deliveries are handled. */
export interface AmqpConsumerOptions {
  readonly connection: AmqpConnection;
  readonly queue: string;
  readonly concurrency: number;
  readonly context: Omit<DeliveryContext, 'finish'>;
}

/**
 * One consumer on its own channel, re-opened after every reconnect. Each delivery is settled on the
 * channel it came from, and never once that channel closed: a tag acked twice or on another channel
 * makes the broker close the channel.
 */
export class AmqpConsumer implements Consumer {
  #stopping = false;
  #stopped: Promise<void> | undefined;
  #active: { channel: Channel; tag: string } | undefined;
  readonly #closed = new WeakSet<Channel>();
  readonly #inFlight = new Set<Promise<void>>();

  constructor(private readonly options: AmqpConsumerOptions) {}

  /** Opens the channel and starts consuming; a connection listener. */
  readonly attach = async (model: ChannelModel): Promise<void> => {
    if (this.#stopping) return;
    const channel = await model.createChannel();
    channel.on('close', () => this.#closed.add(channel));
    channel.on('error', (error: Error) => {
      if (!this.#stopping) this.options.connection.recycle(model, 'amqp consumer channel closed by the broker', error);
    });
    await channel.prefetch(this.options.concurrency);
    const { consumerTag } = await channel.consume(this.options.queue, (message) => this.#receive(model, channel, message));
    this.#active = { channel, tag: consumerTag };
    // stop() may have run while this channel was opening.
    if (this.#stopping) await channel.close().catch(() => undefined);
  };

  /** Cancels the subscription, waits for the handlers in flight, then closes the channel. */
  stop(): Promise<void> {
    this.#stopped ??= this.#shutdown();
    return this.#stopped;
  }

  async #shutdown(): Promise<void> {
    this.#stopping = true;
    this.options.connection.removeListener(this.attach);
    const active = this.#active;
    if (active !== undefined && !this.#closed.has(active.channel)) {
      await active.channel.cancel(active.tag).catch(() => undefined);
    }
    await Promise.allSettled([...this.#inFlight]);
    await active?.channel.close().catch(() => undefined);
  }

  #receive(model: ChannelModel, channel: Channel, message: ConsumeMessage | null): void {
    if (message === null) {
      // The broker cancelled the subscription, e.g. the queue was deleted: reconnecting declares it again.
      if (!this.#stopping) this.options.connection.recycle(model, 'amqp consumer cancelled by the broker');
      return;
    }
    if (this.#stopping) {
      // Prefetched before the cancel took effect: hand it back for another consumer.
      this.#finish(channel, message, 'requeue');
      return;
    }
    const context: DeliveryContext = { ...this.options.context, finish: (m, how) => this.#finish(channel, m, how) };
    const work = handleDelivery(context, message).catch((error: unknown) =>
      this.options.context.logger?.error({ err: error }, 'amqp delivery handling failed'),
    );
    this.#inFlight.add(work);
    void work.finally(() => this.#inFlight.delete(work));
  }

  #finish(channel: Channel, message: Message, how: 'ack' | 'requeue' | 'reject'): void {
    // A closed channel's unacked deliveries are already back in the queue.
    if (this.#closed.has(channel)) return;
    try {
      if (how === 'ack') channel.ack(message);
      else channel.nack(message, false, how === 'requeue');
    } catch (error) {
      this.options.context.logger?.warn({ err: error }, 'amqp delivery not settled; the broker will redeliver it');
    }
  }
}
