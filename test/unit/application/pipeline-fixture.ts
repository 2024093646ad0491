import pino from 'pino';
import { InProcessCache, InProcessTaskQueue, type RetryScheduler } from '../../../src/adapters/in-process/index.js';
import { inMemoryCatalog, InMemoryObjectStore, InMemoryUserRepo } from '../../../src/adapters/memory/index.js';
import { createUser, retryPolicy, startWorker, type ImageCompressor, type ImageStageOptions, type TaskPublisher } from '../../../src/application/index.js';
import type { Product } from '../../../src/domain/index.js';
import { eventually } from '../../support/eventually.js';
import { aNewUser } from '../../support/mothers.js';
import { MarkerCompressor, ScriptedFetcher } from '../../support/pipeline-fakes.js';

/** When retries run: at once on the next turn of the event loop, or never (to look at a waiting image). */
export type RetryTiming = 'immediate' | 'held';

/**
 * The whole core pipeline on fakes: repos writing an outbox, the worker with its relay, the
 * in-process queue, a scripted fetcher and a deterministic compressor. Retries go through the
 * queue's scheduler seam, which records each delay the policy asked for instead of waiting it.
 */
export async function pipelineFixture(
  options: {
    retryDelaysMs?: number[];
    retries?: RetryTiming;
    publisher?: (inner: TaskPublisher) => TaskPublisher;
    dedupe?: boolean;
    /** Deliveries in flight at once (default 2), and the worker's CPU slots and bytes in flight. */
    prefetch?: number;
    overlap?: ImageStageOptions;
    /** Wraps the marker compressor (to hold or count its runs). */
    compressor?: (inner: MarkerCompressor) => ImageCompressor;
  } = {},
) {
  const logger = pino({ level: 'silent' });
  const users = new InMemoryUserRepo();
  const catalog = inMemoryCatalog({ userExists: (id) => users.has(id) });
  const objects = new InMemoryObjectStore({ publicBaseUrl: 'https://cdn.example.com' });
  const fetcher = new ScriptedFetcher();
  const compressor = new MarkerCompressor();
  const cache = new InProcessCache();
  const delays: number[] = [];
  const schedule: RetryScheduler = (run, delayMs) => {
    delays.push(delayMs);
    if (options.retries === 'held') return () => undefined;
    const timer = setImmediate(run);
    return () => clearImmediate(timer);
  };
  const queue = new InProcessTaskQueue({ concurrency: options.prefetch ?? 2, schedule });
  // What the worker reports to /metrics: each stage and each job outcome, in order.
  const observed = { stages: [] as string[], jobs: [] as string[], deadLetters: [] as string[], compressions: 0 };
  const metrics = {
    observeStage: (stage: string, seconds: number) => void observed.stages.push(seconds >= 0 ? stage : `${stage}?`),
    observeJob: (outcome: string) => void observed.jobs.push(outcome),
    observeDeadLetter: (type: string) => void observed.deadLetters.push(type),
    countCompression: () => void (observed.compressions += 1),
  };
  const publisher = options.publisher ? options.publisher(queue) : queue;
  const worker = await startWorker(
    {
      ...catalog,
      objects,
      cache,
      fetcher,
      compressor: options.compressor ? options.compressor(compressor) : compressor,
      logger,
      publisher,
      consumer: queue,
      retry: retryPolicy(options.retryDelaysMs ?? [5, 5, 5]),
      lifecycle: { pollMs: 1 },
      ...(options.dedupe !== undefined && { dedupe: options.dedupe }),
      ...(options.overlap && { overlap: options.overlap }),
      metrics,
    },
    { pollIntervalMs: 20, retryDelayMs: 10 },
  );
  const user = await createUser({ users }, aNewUser());
  if (!user.ok) throw new Error('no user');

  /** Waits until the product's images are all settled (done or failed) and the outbox is empty. */
  const settled = (id: number): Promise<Product> =>
    eventually(async () => {
      const product = await catalog.products.findById(id);
      if (!product) throw new Error(`product ${id} is gone`);
      const busy = product.images.filter((image) => image.status === 'pending' || image.status === 'processing');
      if (busy.length > 0 || catalog.outbox.pending.length > 0) throw new Error(`not settled: ${JSON.stringify(product.images)}`);
      return product;
    });

  return {
    ...catalog,
    users,
    objects,
    cache,
    fetcher,
    compressor,
    queue,
    logger,
    observed,
    /** Each retry delay the policy asked the queue for, in order. */
    delays,
    user: user.value,
    settled,
    async close() {
      await worker.stop();
      await queue.close();
    },
  };
}
