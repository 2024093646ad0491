/**
 * The image pipeline on real services for the bench: a scratch PostgreSQL database, RabbitMQ under
 * a fresh prefix, s3rver, the local image origin, and src/main/worker.ts (worker + outbox relay) as
 * its own process. Products are created through the createProduct use case on PostgresProductRepo,
 * so the outbox rows are written in the product's transaction exactly as under HTTP.
 */
import { randomBytes } from 'node:crypto';
import { DisabledCache } from '../src/adapters/in-process/index.js';
import { connectPostgres, PostgresProductRepo, PostgresUserRepo } from '../src/adapters/postgres/index.js';
import { createProduct, createUser } from '../src/application/index.js';
import { startImageOrigin } from '../test/support/image-origin.js';
import { createTestDatabase } from '../test/support/postgres.js';
import { deleteTopology, rabbitMqUrl } from '../test/support/rabbitmq.js';
import { s3Environment, startS3Server } from '../test/support/s3-server.js';
import { spawnService, type SpawnedService } from '../test/support/spawn-service.js';
import { photoNames } from '../test/support/testdata.js';
import type { BenchContext } from './context.js';

export interface ImagePipeline {
  /** The (first) worker process, for /proc readings (CPU time, peak RSS). */
  readonly workerPid: number;
  /** Every worker process, when started with more than one. */
  readonly workerPids: readonly number[];
  /** The scratch database the worker and the products live in (another API may read it). */
  readonly databaseUrl: string;
  /** Creates `products` products, each with every photo's URL (unique per product so nothing is deduplicated); resolves once created, not processed. */
  submit(products: number): Promise<void>;
  /**
   * Creates one product with one photo (`name`, a URL of its own) and resolves with the seconds
   * from the creation call to its renditions committed (status done), polled every 5 ms.
   */
  timeToDone(name: string): Promise<number>;
  /** Resolves when every submitted image is done or failed. */
  settled(): Promise<{ done: number; failed: number }>;
  /** Images by state right now; `pending` counts those queued or being processed. */
  counts(): Promise<ImageCounts>;
  /** Up to 20 failed images with their reasons, for the error message of a failed run. */
  failures(): Promise<{ url: string; error: string | null }[]>;
  /** Stops the worker and releases everything started (also done at the run's cleanup). */
  stop(): Promise<void>;
}

export interface ImageCounts {
  readonly done: number;
  readonly failed: number;
  readonly pending: number;
}

// One quick retry: a healthy run has none, and a failing image then ends `failed` in about a
// second instead of waiting out the production backoff of minutes.
const RETRY_DELAYS_MS = [500];
// settled() gives up when no image finishes for this long (a stuck relay or queue).
const STALL_MS = 60_000;
const STOP_GRACE_MS = 15_000;

/** The Redis namespace of the API the worker section loads beside the pipeline's worker. */
export const workerBusyRedisPrefix = (ctx: Pick<BenchContext, 'redisPrefix'>): string => `${ctx.redisPrefix}busy:`;

/** Starts the services and the worker(s, `workers` of them: 1 by default); everything is released by `stop()` or at the run's cleanup. */
export async function startImagePipeline(ctx: BenchContext, options: { workers?: number } = {}): Promise<ImagePipeline> {
  const steps: (() => Promise<unknown>)[] = [];
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      for (const step of steps.splice(0).reverse()) await step().catch((error: unknown) => ctx.log(`image pipeline cleanup: ${String(error)}`));
    })();
    return stopped;
  };
  ctx.defer(stop);

  const database = await createTestDatabase();
  steps.push(() => database.drop());
  const amqpUrl = await rabbitMqUrl();
  const prefix = `bench-images-${randomBytes(4).toString('hex')}`;
  steps.push(() => deleteTopology(amqpUrl, prefix, RETRY_DELAYS_MS));
  const s3 = await startS3Server();
  steps.push(() => s3.close());
  const origin = await startImageOrigin();
  steps.push(() => origin.close());
  const connection = await connectPostgres({ url: database.url, max: 2 });
  steps.push(() => connection.close());

  const workers: SpawnedService[] = [];
  for (let i = 0; i < (options.workers ?? 1); i += 1) {
    const worker = await spawnService('worker.ts', {
      MALLOC_ARENA_MAX: '2',
      DATABASE_URL: database.url,
      AMQP_URL: amqpUrl,
      AMQP_PREFIX: prefix,
      // The Redis of the API the worker section loads, so the worker hears that API's saturation (WORKER_YIELD_DUTY).
      REDIS_URL: ctx.redisUrl,
      REDIS_PREFIX: workerBusyRedisPrefix(ctx),
      ...s3Environment(s3),
      IMAGE_FETCH_ALLOW_PRIVATE_NETWORKS: 'true',
      IMAGE_RETRY_DELAYS_MS: RETRY_DELAYS_MS.join(','),
      // Every product carries the same photos: with dedupe on, only the first would be compressed.
      IMAGE_DEDUPE: 'false',
      ...ctx.workerEnv,
    });
    steps.push(() => stopWorker(worker));
    // Five log lines per job: drained unparsed, so this process spends no CPU on them. Failures
    // are read from the database instead.
    worker.child.stdout?.removeAllListeners('data');
    worker.child.stdout?.resume();
    workers.push(worker);
  }

  const deps = { products: new PostgresProductRepo(connection), cache: new DisabledCache() };
  const user = await createUser({ users: new PostgresUserRepo(connection) }, { name: 'Image bench', email: `${prefix}@example.com` });
  if (!user.ok) throw new Error(`creating the bench user: ${user.error.message}`);
  const photos = photoNames();
  const sql = connection.client;
  let serial = 0;
  let submitted = 0;

  const counts = async (): Promise<ImageCounts> => {
    const [row] = await sql<ImageCounts[]>`
      select count(*) filter (where status = 'done')::int as done, count(*) filter (where status = 'failed')::int as failed,
        count(*) filter (where status in ('pending', 'processing'))::int as pending
      from product_images`;
    return { done: row?.done ?? 0, failed: row?.failed ?? 0, pending: row?.pending ?? 0 };
  };

  return {
    workerPid: workers[0]!.child.pid as number,
    workerPids: workers.map((worker) => worker.child.pid as number),
    databaseUrl: database.url,
    async submit(products) {
      for (let i = 0; i < products; i += 1) {
        serial += 1;
        // The query string makes every product's URLs its own; the origin serves by path.
        const urls = photos.map((name) => `${origin.url}/images/${encodeURIComponent(name)}?n=${serial}`);
        const created = await createProduct(
          deps,
          { user_id: user.value.id, product_name: `Bench product ${serial}`, product_description: 'image bench', product_images: urls, product_price: 9.99 },
          { requestId: `${prefix}-${serial}` },
        );
        if (!created.ok) throw new Error(`creating a bench product: ${created.error.message}`);
        submitted += urls.length;
      }
    },
    async timeToDone(name) {
      serial += 1;
      const url = `${origin.url}/images/${encodeURIComponent(name)}?n=${serial}`;
      const start = performance.now();
      const created = await createProduct(
        deps,
        { user_id: user.value.id, product_name: `Bench product ${serial}`, product_description: 'image bench', product_images: [url], product_price: 9.99 },
        { requestId: `${prefix}-${serial}` },
      );
      if (!created.ok) throw new Error(`creating a bench product: ${created.error.message}`);
      submitted += 1;
      const id = created.value.product.id;
      for (;;) {
        const [row] = await sql<{ status: string }[]>`select status from product_images where product_id = ${id}`;
        if (row?.status === 'done') return (performance.now() - start) / 1000;
        if (row?.status === 'failed') throw new Error(`${name} failed in the pipeline`);
        if (performance.now() - start > STALL_MS) throw new Error(`${name} not done within ${STALL_MS / 1000} s`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    async settled() {
      let last = -1;
      let progressAt = Date.now();
      for (;;) {
        for (const worker of workers) {
          if (worker.child.exitCode !== null || worker.child.signalCode !== null) {
            throw new Error(`a worker exited (${worker.child.exitCode ?? worker.child.signalCode}): ${worker.stderr().trim()}`);
          }
        }
        const { done, failed } = await counts();
        if (done + failed >= submitted) return { done, failed };
        if (done + failed !== last) [last, progressAt] = [done + failed, Date.now()];
        if (Date.now() - progressAt > STALL_MS) throw new Error(`no image finished for ${STALL_MS / 1000} s (${last} of ${submitted} settled)`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    counts,
    async failures() {
      const rows = await sql<{ url: string; error: string | null }[]>`
        select source_url as url, error from product_images where status = 'failed' order by id limit 20`;
      return rows.map(({ url, error }) => ({ url, error }));
    },
    stop,
  };
}

/** SIGTERM lets in-flight jobs finish; a worker still there after the grace period is killed. */
async function stopWorker(worker: SpawnedService): Promise<void> {
  const timer = setTimeout(() => worker.child.kill('SIGKILL'), STOP_GRACE_MS);
  try {
    await worker.stop('SIGTERM');
  } finally {
    clearTimeout(timer);
  }
}
