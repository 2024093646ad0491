import { randomBytes } from 'node:crypto';
import { open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import amqplib from 'amqplib';
import { afterAll, beforeAll } from 'vitest';
import { AmqpTaskQueue, DEFAULT_RETRY_DELAYS_MS } from '../../src/adapters/amqp/index.js';

const DEFAULT_URL = 'amqp://guest:guest@127.0.0.1:5672';

let broker: Promise<string> | undefined;

/**
 * The test broker: TEST_AMQP_URL, else AMQP_URL, else the local default; when it is down, a
 * rabbitmq:3.10 container where Docker is available, and otherwise an error saying how to start one.
 */
export function rabbitMqUrl(): Promise<string> {
  broker ??= reachableBroker();
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
    for (const { prefix, retryDelaysMs } of prefixes) await AmqpTaskQueue.deleteTopology(url, prefix, retryDelaysMs);
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

async function reachableBroker(): Promise<string> {
  const configured = process.env.TEST_AMQP_URL ?? process.env.AMQP_URL ?? DEFAULT_URL;
  const problem = await amqplib.connect(configured, { timeout: 5_000 }).then(
    (connection) => connection.close().then(() => null),
    (error: unknown) => (error instanceof Error && error.message) || String(error),
  );
  if (problem === null) return configured;
  const docker = await dockerProblem();
  if (docker === null) return startContainer();
  throw new Error(
    [
      `RabbitMQ is not reachable at ${configured.replace(/:[^:@/]*@/, ':***@')} (${problem}),`,
      `and no Docker engine is available to start one (${docker}).`,
      'Start the local broker:  rabbitmq-server -detached   (then wait for `rabbitmqctl await_startup`)',
      'or set TEST_AMQP_URL to a RabbitMQ 3.10+ broker.',
    ].join('\n'),
  );
}

async function dockerProblem(): Promise<string | null> {
  const { getContainerRuntimeClient } = await import('testcontainers');
  return getContainerRuntimeClient().then(
    () => null,
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
}

async function startContainer(): Promise<string> {
  const { GenericContainer, Wait } = await import('testcontainers');
  // Reuse lets every test process find the one container; the lock stops two from creating it.
  const container = await withFileLock(join(tmpdir(), 'catalog-test-rabbitmq.lock'), () =>
    new GenericContainer('rabbitmq:3.10')
      .withExposedPorts(5672)
      .withWaitStrategy(Wait.forLogMessage('Server startup complete'))
      .withReuse()
      .start(),
  );
  return `amqp://guest:guest@${container.getHost()}:${container.getMappedPort(5672)}`;
}

async function withFileLock<T>(path: string, work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      await (await open(path, 'wx')).close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const info = await stat(path).catch(() => null);
      if (info && Date.now() - info.mtimeMs > 120_000) await rm(path, { force: true });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return await work();
  } finally {
    await rm(path, { force: true });
  }
}
