import amqplib, { type ChannelModel, type RecoveringChannelModel } from 'amqplib';
import { redactUrlPasswords } from '../../application/redaction.js';
import type { AmqpLogger } from './amqp-settings.js';

/** Opens the channels of one user of the connection; runs again after every reconnect. */
export type ConnectListener = (model: ChannelModel) => Promise<void>;

/** Where to connect, how hard to retry, and what to run on every new connection. */
export interface AmqpConnectionOptions {
  readonly url: string;
  readonly name: string;
  readonly connectRetries: number;
  readonly reconnectMaxDelayMs: number;
  readonly heartbeatSeconds: number;
  /** Runs on every (re)connect before any listener, e.g. to declare the topology. */
  readonly setup: (model: ChannelModel) => Promise<void>;
  readonly logger: AmqpLogger | undefined;
}

/**
 * One connection that amqplib's own recovery re-establishes after broker restarts; channel users
 * register a listener that re-opens their channels on each new connection.
 */
export class AmqpConnection {
  #model: ChannelModel | undefined;
  readonly #listeners = new Set<ConnectListener>();

  private constructor(
    private readonly recovering: RecoveringChannelModel,
    private readonly logger: AmqpLogger | undefined,
  ) {}

  /** Connects, retrying `connectRetries` times; rejects with a readable, password-free message. */
  static async open(options: AmqpConnectionOptions): Promise<AmqpConnection> {
    const url = new URL(options.url);
    url.searchParams.set('heartbeat', String(options.heartbeatSeconds));
    const recovering = await amqplib.connect(url.toString(), {
      clientProperties: { connection_name: options.name },
      timeout: 10_000,
      recovery: {
        initialDelay: 100,
        maxDelay: options.reconnectMaxDelayMs,
        initialMaxRetries: options.connectRetries,
        maxRetries: Infinity,
        waitForConnect: false,
        setup: (model: ChannelModel) => {
          // amqplib binds its own 'error' listener only after setup resolves: a socket that ends
          // during setup would otherwise emit an unheard 'error' and crash the process. The
          // failure still surfaces as a rejected setup, and recovery retries.
          model.on('error', () => undefined);
          return options.setup(model);
        },
      },
    });
    const connection = new AmqpConnection(recovering, options.logger);
    const where = redactUrlPasswords(options.url);
    recovering.on('connect', (model: ChannelModel) => void connection.#connected(model));
    recovering.on('disconnect', (error: Error) => {
      connection.#model = undefined;
      options.logger?.warn({ err: error, url: where }, 'amqp connection lost; reconnecting');
    });
    recovering.on('connect-failed', (error: Error) => options.logger?.warn({ err: error, url: where }, 'amqp connect failed'));
    // Connection errors also close it, which 'disconnect' reports; an unheard 'error' would crash.
    recovering.on('error', () => undefined);
    try {
      await recovering.waitForConnect();
    } catch (error) {
      throw new Error(`Cannot connect to RabbitMQ at ${where}: ${(error as Error).message}`, { cause: error });
    }
    return connection;
  }

  /** The live connection, or undefined while reconnecting. */
  get model(): ChannelModel | undefined {
    return this.#model;
  }

  /** The live connection; throws while reconnecting. */
  requireModel(): ChannelModel {
    if (this.#model === undefined) throw new Error('RabbitMQ is not connected');
    return this.#model;
  }

  /** Registers `listener` and runs it now when connected. */
  async onConnect(listener: ConnectListener): Promise<void> {
    this.#listeners.add(listener);
    if (this.#model !== undefined) await listener(this.#model);
  }

  /** Stops re-running `listener` on reconnects. */
  removeListener(listener: ConnectListener): void {
    this.#listeners.delete(listener);
  }

  /**
   * Recovers from a channel the broker closed (or a subscription it cancelled) by dropping `model`
   * if it is still the live connection: recovery reconnects, declares the topology again (it may
   * have been deleted) and every listener re-opens its channels, with recovery's backoff.
   */
  recycle(model: ChannelModel, reason: string, error?: Error): void {
    if (this.#model !== model) return;
    this.logger?.error({ err: error }, `${reason}; reconnecting`);
    this.#model = undefined;
    model.close().catch(() => undefined);
  }

  /** Closes the connection and its channels; no reconnect follows. */
  close(): Promise<void> {
    this.#listeners.clear();
    this.#model = undefined;
    return this.recovering.close();
  }

  async #connected(model: ChannelModel): Promise<void> {
    this.#model = model;
    this.logger?.info({}, 'amqp connected');
    // A snapshot: a listener registered meanwhile has already run against this connection itself.
    for (const listener of [...this.#listeners]) {
      await listener(model).catch((error: unknown) => this.logger?.error({ err: error }, 'amqp channel setup failed'));
    }
  }
}
