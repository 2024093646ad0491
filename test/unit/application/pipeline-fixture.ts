import pino from 'pino';
import {
  InMemoryObjectStore,
  InProcessCache,
  InMemoryOutbox,
  InMemoryProductRepo,
  InMemoryUserRepo,
  InProcessTaskQueue,
} from '../../../src/adapters/memory/index.js';
import { createUser, handleTask, startOutboxRelay, type TaskQueue } from '../../../src/application/index.js';
import type { Product } from '../../../src/domain/index.js';
import { aNewUser } from '../../support/mothers.js';
import { MarkerCompressor, ScriptedFetcher } from '../../support/pipeline-fakes.js';

/**
 * The whole core pipeline on fakes: repos writing an outbox, a relay, the in-process queue with
 * short retry delays, and a worker with a scripted fetcher and a deterministic compressor.
 */
export async function pipelineFixture(options: { retryDelaysMs?: number[]; queue?: (inner: TaskQueue) => TaskQueue } = {}) {
  const logger = pino({ level: 'silent' });
  const outbox = new InMemoryOutbox();
  const users = new InMemoryUserRepo();
  const products = new InMemoryProductRepo({ userExists: (id) => users.has(id), outbox });
  const objects = new InMemoryObjectStore({ publicBaseUrl: 'https://cdn.example.com' });
  const fetcher = new ScriptedFetcher();
  const compressor = new MarkerCompressor();
  const cache = new InProcessCache();
  const inner = new InProcessTaskQueue({ concurrency: 2, retryDelaysMs: options.retryDelaysMs ?? [5, 5, 5] });
  const queue = options.queue ? options.queue(inner) : inner;
  const consumer = await queue.consume(handleTask({ products, objects, cache, fetcher, compressor, logger }));
  const relay = await startOutboxRelay({ outbox, queue, logger }, { pollIntervalMs: 20, retryDelayMs: 10 });
  const user = await createUser({ users }, aNewUser());
  if (!user.ok) throw new Error('no user');

  /** Polls until the product's images are all settled (done or failed) and the outbox is empty. */
  async function settled(id: number, timeoutMs = 5000): Promise<Product> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const product = await products.findById(id);
      if (!product) throw new Error(`product ${id} is gone`);
      const busy = product.images.some((image) => image.status === 'pending' || image.status === 'processing');
      if (!busy && outbox.pending.length === 0) return product;
      if (Date.now() > deadline) throw new Error(`not settled: ${JSON.stringify(product.images)}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  return {
    users,
    products,
    objects,
    cache,
    outbox,
    fetcher,
    compressor,
    queue,
    inner,
    relay,
    logger,
    user: user.value,
    settled,
    async close() {
      await relay.stop();
      await consumer.stop();
      await inner.close();
    },
  };
}

/** Polls `check` until it returns true. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
