import { randomBytes } from 'node:crypto';
import amqplib from 'amqplib';
import { afterAll, beforeAll } from 'vitest';
import { DEFAULT_RETRY_DELAYS_MS } from '../../src/application/index.js';
import { deleteTopology } from './amqp-topology.js';
import { reachableService } from './local-service.js';

// Kept in a module of its own so that scripts outside vitest (test/container) can use it.
export { deleteTopology };

const DEFAULT_URL = 'amqp://guest:guest@127.0.0.1:5672';

let broker: Promise<string> | undefined;

/**
 * The test broker: TEST_AMQP_URL, else AMQP_URL, else the local default; when it is down, a
 * rabbitmq:3.10 container where Docker is available, and otherwise an error saying how to start one.
 */
export function rabbitMqUrl(): Promise<string> {
  broker ??= reachableService({
    name: 'RabbitMQ',
    url: process.env.TEST_AMQP_URL ?? process.env.AMQP_URL ?? DEFAULT_URL,
    check: (url) => amqplib.connect(url, { timeout: 5_000 }).then((connection) => connection.close()),
    container: {
      image: 'rabbitmq:3.10',
      port: 5672,
      readyLog: 'Server startup complete',
      url: (host, port) => `amqp://guest:guest@${host}:${port}`,
    },
    howToStart: [
      'Start the local broker:  rabbitmq-server -detached   (then wait for `rabbitmqctl await_startup`)',
      'or set TEST_AMQP_URL to a RabbitMQ 3.10+ broker.',
    ],
  });
  return broker;
}

/** Random topology prefixes for one test file, all deleted in afterAll. */
export interface RabbitMqFixture {
  /** The broker URL; available from beforeAll on. */
  readonly url: string;
  /** A fresh prefix; its wait queues are deleted for `retryDelaysMs`. */
  prefix(retryDelaysMs?: readonly number[]): string;
}

/** Resolves the broker in beforeAll and deletes every prefix handed out in afterAll. */
export function useRabbitMq(): RabbitMqFixture {
  const fileTag = `test-${Date.now()}-${randomBytes(3).toString('hex')}`;
  const prefixes: Array<{ prefix: string; retryDelaysMs: readonly number[] }> = [];
  let url: string | undefined;
  beforeAll(async () => {
    url = await rabbitMqUrl();
  });
  afterAll(async () => {
    if (url === undefined) return;
    for (const { prefix, retryDelaysMs } of prefixes) await deleteTopology(url, prefix, retryDelaysMs);
  });
  return {
    get url() {
      if (url === undefined) throw new Error('the broker URL is known from beforeAll on');
      return url;
    },
    prefix(retryDelaysMs = DEFAULT_RETRY_DELAYS_MS) {
      const prefix = `${fileTag}.${prefixes.length + 1}`;
      prefixes.push({ prefix, retryDelaysMs });
      return prefix;
    },
  };
}

