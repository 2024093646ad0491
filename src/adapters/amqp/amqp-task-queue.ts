import type { DeadLetter, DeadLetters } from '../../application/ports/dead-letters.js';
import type { MetricSample, MetricsSource } from '../../application/ports/metrics.js';
import type { Probe } from '../../application/ports/probe.js';
import type { Consumer, SettleTask, TaskConsumer } from '../../application/ports/task-consumer.js';
import type { TaskPublisher } from '../../application/ports/task-publisher.js';
import type { TaskMessage } from '../../application/tasks.js';
import { AmqpConnection } from './amqp-connection.js';
import { AmqpConsumer } from './amqp-consumer.js';
import { resolveSettings, type AmqpSettings, type AmqpTaskQueueOptions } from './amqp-settings.js';
import { ConfirmPublisher } from './confirm-publisher.js';
import { listDeadLetters, replayDeadLetters } from './dead-letters.js';
import { waitDelayFor } from './handle-delivery.js';
import { encodeTask } from './message-codec.js';
import { queueDepths } from './queue-depths.js';
import { queueSamples } from '../../application/metric-samples.js';
import { declareTopology, topologyNames, type TopologyNames } from './topology.js';

/**
 * The task queue on RabbitMQ, as publisher, consumer and dead letters: a quorum work queue with a
 * delivery limit (crash loops), one TTL wait queue per retry delay that dead-letters back to the
 * work exchange, and a classic dead-letter queue. Every publish, including retries and replays,
 * waits for publisher confirms. It carries out settlements; the retry policy is the application's.
 */
export class AmqpTaskQueue implements TaskPublisher, TaskConsumer, DeadLetters, MetricsSource {
  /** Readiness: fails while the connection is down (it is re-established in the background). */
  readonly probe: Probe;
  readonly #names: TopologyNames;
  readonly #consumers = new Set<AmqpConsumer>();
  #closing: Promise<void> | undefined;

  private constructor(
    private readonly settings: AmqpSettings,
    private readonly connection: AmqpConnection,
    private readonly publisher: ConfirmPublisher,
  ) {
    this.#names = topologyNames(settings.prefix);
    this.probe = {
      name: 'amqp',
      check: async () => {
        if (this.#closing !== undefined || connection.model === undefined) throw new Error('RabbitMQ is not connected');
      },
    };
  }

  /**
   * Connects and declares the topology; rejects with a readable message when the broker cannot be
   * reached or a queue exists with other arguments, so the process can stop.
   */
  static async connect(options: AmqpTaskQueueOptions): Promise<AmqpTaskQueue> {
    const settings = resolveSettings(options);
    const connection = await AmqpConnection.open({
      ...settings,
      name: `${settings.prefix} task queue`,
      setup: (model) => declareTopology(model, settings),
    });
    const publisher = new ConfirmPublisher({
      window: settings.publishWindow,
      timeoutMs: settings.publishTimeoutMs,
      onChannelError: (model, error) => connection.recycle(model, 'amqp publish channel closed by the broker', error),
    });
    try {
      await connection.onConnect(publisher.attach);
    } catch (error) {
      await connection.close();
      throw error;
    }
    return new AmqpTaskQueue(settings, connection, publisher);
  }

  async publish(messages: readonly TaskMessage[]): Promise<void> {
    this.#assertOpen();
    const route = { exchange: this.#names.workExchange, routingKey: this.#names.routingKey };
    await this.publisher.publish(
      messages.map((message) => {
        if (message.retry === undefined) return encodeTask(route, message, 1);
        // Through the wait queue of its delay, as the consumer routes a retry it settles.
        const wait = { exchange: '', routingKey: this.#names.waitQueue(waitDelayFor(this.settings.retryDelaysMs, message.retry.delayMs)) };
        return encodeTask(wait, message, message.retry.attempt);
      }),
    );
  }

  async consume(settle: SettleTask): Promise<Consumer> {
    this.#assertOpen();
    const { settings } = this;
    const consumer = new AmqpConsumer({
      connection: this.connection,
      queue: this.#names.workQueue,
      concurrency: settings.concurrency,
      context: {
        settle,
        names: this.#names,
        waitDelaysMs: settings.retryDelaysMs,
        publish: (messages) => this.publisher.publish(messages),
        logger: settings.logger,
      },
    });
    this.#consumers.add(consumer);
    try {
      await this.connection.onConnect(consumer.attach);
    } catch (error) {
      // Otherwise it would still subscribe after the next reconnect, for a caller that got an error.
      await consumer.stop();
      this.#consumers.delete(consumer);
      throw error;
    }
    return {
      stop: async () => {
        await consumer.stop();
        this.#consumers.delete(consumer);
      },
    };
  }

  async list(limit: number): Promise<DeadLetter[]> {
    this.#assertOpen();
    return listDeadLetters(this.connection.requireModel(), this.#names.deadQueue, limit);
  }

  async replay(ids: 'all' | readonly string[]): Promise<number> {
    this.#assertOpen();
    return replayDeadLetters(this.connection.requireModel(), this.#names, ids, {
      window: this.settings.publishWindow,
      publish: (messages) => this.publisher.publish(messages),
    });
  }

  /** Depth and consumers of the work, retry and dead-letter queues, asked of the broker; rejects while disconnected. */
  async metrics(): Promise<MetricSample[]> {
    this.#assertOpen();
    return queueSamples(await queueDepths(this.connection.requireModel(), this.#names, this.settings.retryDelaysMs));
  }

  /** Stops the consumers (waiting for their handlers), then closes the channels and the connection. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await Promise.all([...this.#consumers].map((consumer) => consumer.stop()));
      await this.publisher.close();
      await this.connection.close();
    })();
    return this.#closing;
  }

  #assertOpen(): void {
    if (this.#closing !== undefined) throw new Error('AmqpTaskQueue is closed');
  }
}
