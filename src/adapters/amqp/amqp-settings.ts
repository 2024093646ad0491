import type { Logger } from '../../application/ports/logger.js';
import { DEFAULT_RETRY_DELAYS_MS } from '../../application/retry-policy.js';

/** What the adapter logs through; a pino logger fits. */
export type AmqpLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

/** How to reach RabbitMQ and which retry delays it can carry out; only `url` is required. */
export interface AmqpTaskQueueOptions {
  readonly url: string;
  /** Names every exchange and queue, so deployments and tests can share a broker (default `catalog`). */
  readonly prefix?: string;
  /** Deliveries handled at once per consumer: the channel prefetch (default 2). */
  readonly concurrency?: number;
  /**
   * The delays retries can be scheduled with, one TTL wait queue each: the retry policy's delays
   * (default 1 s, 5 s, 30 s, 2 min). The policy itself lives in the application.
   */
  readonly retryDelaysMs?: readonly number[];
  /** Redeliveries after consumer crashes before the broker dead-letters a message (default 5). */
  readonly deliveryLimit?: number;
  /** Messages published before awaiting their confirms (default 100). */
  readonly publishWindow?: number;
  /** Bound on one window's confirms, including waiting for a channel while reconnecting (default 10 s). */
  readonly publishTimeoutMs?: number;
  /** Connection attempts retried at startup before `connect` gives up (default 3). */
  readonly connectRetries?: number;
  /** Longest pause between reconnect attempts (default 15 s). */
  readonly reconnectMaxDelayMs?: number;
  /** AMQP heartbeat, which detects a silently dead broker (default 10 s). */
  readonly heartbeatSeconds?: number;
  readonly logger?: AmqpLogger;
}

/** Options with every default filled in. */
export type AmqpSettings = Required<Omit<AmqpTaskQueueOptions, 'logger'>> & { readonly logger: AmqpLogger | undefined };

/** Options with defaults filled in; throws a RangeError naming the first invalid one. */
export function resolveSettings(options: AmqpTaskQueueOptions): AmqpSettings {
  const settings: AmqpSettings = {
    url: options.url,
    prefix: options.prefix ?? 'catalog',
    concurrency: options.concurrency ?? 2,
    retryDelaysMs: [...(options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS)],
    deliveryLimit: options.deliveryLimit ?? 5,
    publishWindow: options.publishWindow ?? 100,
    publishTimeoutMs: options.publishTimeoutMs ?? 10_000,
    connectRetries: options.connectRetries ?? 3,
    reconnectMaxDelayMs: options.reconnectMaxDelayMs ?? 15_000,
    heartbeatSeconds: options.heartbeatSeconds ?? 10,
    logger: options.logger,
  };
  if (!/^[\w.-]+$/.test(settings.prefix)) throw new RangeError(`Invalid AMQP prefix "${settings.prefix}"`);
  const counts = { concurrency: 1, publishWindow: 1, publishTimeoutMs: 1, deliveryLimit: 0, connectRetries: 0 } as const;
  for (const [name, min] of Object.entries(counts)) checkInteger(name, settings[name as keyof typeof counts], min);
  for (const delay of settings.retryDelaysMs) checkInteger('retryDelaysMs', delay, 1);
  return settings;
}

function checkInteger(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
}
