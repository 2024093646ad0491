import amqplib from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topologyNames } from '../../src/adapters/amqp/index.js';
import { ADMIN_AUTHORIZATION } from '../support/admin-key.js';
import { eventually } from '../support/eventually.js';
import { startImageOrigin, type ImageOrigin } from '../support/image-origin.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { useRabbitMq } from '../support/rabbitmq.js';
import { startPrivateRedis, type PrivateRedis } from '../support/redis.js';
import { s3Environment, startS3Server, type TestS3Server } from '../support/s3-server.js';
import { spawnService, type SpawnedService } from '../support/spawn-service.js';
import { photoNames } from '../support/testdata.js';

// Two API processes and two worker processes, started as the README starts them, on real
// PostgreSQL, Redis, RabbitMQ and an S3 server, under load and faults: a worker SIGKILLed and
// restarted, an API restarted with SIGTERM, Redis stopped for a few seconds. Then: every image
// done exactly once, no message left in any queue, no failed request but those sent to the API
// while it was down, and no stale read across the two APIs.

const RETRY_DELAYS = [200, 400];
const PRODUCTS = 16;
const IMAGES_EACH = 2;
const PAIRS = 1000;
const rabbit = useRabbitMq();

type Outcome = { status: number; body: Record<string, unknown> } | { error: string };

describe('2 APIs and 2 workers under faults', () => {
  let database: TestDatabase;
  let redis: PrivateRedis;
  let s3: TestS3Server;
  let origin: ImageOrigin;
  let env: Record<string, string>;
  let prefix: string;
  const processes: SpawnedService[] = [];

  beforeAll(async () => {
    [database, redis, s3, origin] = await Promise.all([createTestDatabase(), startPrivateRedis(), startS3Server(), startImageOrigin()]);
    prefix = rabbit.prefix(RETRY_DELAYS);
    env = {
      DATABASE_URL: database.url,
      DATABASE_POOL_MAX: '4',
      REDIS_URL: redis.url,
      AMQP_URL: rabbit.url,
      AMQP_PREFIX: prefix,
      ...s3Environment(s3),
      IMAGE_FETCH_ALLOW_PRIVATE_NETWORKS: 'true',
      IMAGE_RETRY_DELAYS_MS: RETRY_DELAYS.join(','),
      OUTBOX_POLL_INTERVAL_MS: '200',
      SHUTDOWN_TIMEOUT_MS: '5000',
      // Six processes share two cores here: a 50 ms Redis command can time out without Redis being down.
      REDIS_COMMAND_TIMEOUT_MS: '500',
    };
  }, 60_000);

  afterAll(async () => {
    for (const process of processes) await process.stop('SIGKILL').catch(() => undefined);
    await Promise.all([database?.drop(), redis?.close(), s3?.close(), origin?.close()]);
  });

  const start = async (entry: 'api.ts' | 'worker.ts') => {
    const service = await spawnService(entry, env, 60_000);
    processes.push(service);
    return service;
  };

  it('does every image once, loses no message, fails no request it accepted and serves no stale read', { timeout: 300_000 }, async () => {
    const apis = [await start('api.ts'), await start('api.ts')];
    const workers = [await start('worker.ts'), await start('worker.ts')];
    // The API that is restarting: requests sent to it meanwhile may be refused, none it accepted may fail.
    let restarting: number | undefined;
    const counts = { requests: 0, refusedWhileDown: 0, failed: [] as string[], pairs: 0, stale: [] as string[] };

    const call = async (api: number, method: string, path: string, body?: unknown): Promise<Outcome> => {
      counts.requests += 1;
      const down = restarting === api;
      try {
        // The admin key (spawnService's ADMIN_API_KEY): writes need a key, and admin keys are not rate limited.
        const response = await fetch(`${apis[api]!.url}${path}`, {
          method,
          headers: { ...ADMIN_AUTHORIZATION, ...(body !== undefined && { 'content-type': 'application/json' }) },
          ...(body !== undefined && { body: JSON.stringify(body) }),
        });
        const outcome = { status: response.status, body: (await response.json()) as Record<string, unknown> };
        if (response.status >= 500) counts.failed.push(`${method} ${path} via API ${api}: ${response.status}`);
        return outcome;
      } catch (error) {
        const reason = String((error as Error).cause ?? error);
        if (down && /ECONNREFUSED|ECONNRESET|other side closed/.test(reason)) counts.refusedWhileDown += 1;
        else counts.failed.push(`${method} ${path} via API ${api}: ${reason}`);
        return { error: reason };
      }
    };
    const created = (outcome: Outcome) => ('status' in outcome && outcome.status === 201 ? (outcome.body as { id: number }) : undefined);

    const user = created(await call(0, 'POST', '/users', { name: 'Faults', email: `faults-${Date.now()}@example.com` }))!;
    const photos = photoNames();
    const productIds: number[] = [];
    const creating = (async () => {
      for (let p = 0; p < PRODUCTS; p += 1) {
        const images = Array.from({ length: IMAGES_EACH }, (_, i) => `${origin.url}/images/${photos[(p + i) % photos.length]}?p=${p}&i=${i}`);
        const body = { user_id: user.id, product_name: `P${p}`, product_description: '', product_images: images, product_price: 1 };
        // Retried on the other API when refused by the one restarting, as a load balancer would.
        let product = created(await call(p % 2, 'POST', '/products', body));
        product ??= created(await call((p + 1) % 2, 'POST', '/products', body));
        if (product) productIds.push(product.id);
      }
    })();

    // Write through one API, read through the other: the read never shows an older state.
    const targets = await Promise.all(
      [0, 1, 2, 3].map(async (n) => created(await call(n % 2, 'POST', '/products', { user_id: user.id, product_name: `T${n}-0`, product_description: '', product_images: [], product_price: 1 }))!),
    );
    const pairs = (async () => {
      for (let i = 1; counts.pairs < PAIRS; i += 1) {
        const target = targets[i % targets.length]!;
        const [writer, reader] = i % 2 === 0 ? [0, 1] : [1, 0];
        if (restarting === writer || restarting === reader) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          continue;
        }
        const name = `T${target.id}-${i}`;
        const written = await call(writer, 'PATCH', `/products/${target.id}`, { product_name: name });
        if (!('status' in written) || written.status !== 200) continue;
        const read = await call(reader, 'GET', `/products/${target.id}`);
        if (!('status' in read)) continue;
        counts.pairs += 1;
        const version = Number(written.body.version);
        if (Number(read.body.version) < version || (Number(read.body.version) === version && read.body.product_name !== name)) {
          counts.stale.push(`wrote ${name} v${version} via API ${writer}, read ${String(read.body.product_name)} v${String(read.body.version)} via API ${reader}`);
        }
      }
    })();

    // Reads on both APIs all along, the restarting one included: some are in flight when it gets SIGTERM.
    let loading = true;
    const reading = Promise.all(
      [0, 1].map(async (lane) => {
        for (let i = 0; loading; i += 1) {
          await call((lane + i) % 2, 'GET', `/products/${targets[i % targets.length]!.id}`);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }),
    );

    const began = performance.now();
    const timeline: string[] = [];
    const mark = (what: string) => timeline.push(`${what} at ${((performance.now() - began) / 1000).toFixed(1)} s`);
    const faults = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      mark('worker SIGKILL');
      await workers[0]!.stop('SIGKILL');
      workers.push(await start('worker.ts'));
      mark('worker restarted; API SIGTERM');
      restarting = 1;
      await apis[1]!.stop('SIGTERM');
      apis[1] = await start('api.ts');
      restarting = undefined;
      mark('API restarted; Redis stopped');
      redis.pause();
      await new Promise((resolve) => setTimeout(resolve, 3000));
      redis.resume();
      mark('Redis resumed');
    })();

    await Promise.all([creating, pairs, faults]);
    mark(`${PAIRS} pairs done`);
    loading = false;
    await reading;
    expect(productIds).toHaveLength(PRODUCTS);

    // Every image done, and each completed by exactly one job, whichever worker ran it.
    const settled = await eventually(
      async () => {
        const products = await Promise.all(productIds.map(async (id) => (await fetch(`${apis[0]!.url}/products/${id}`)).json() as Promise<{ images: { id: number; status: string }[] }>));
        const images = products.flatMap((product) => product.images);
        const busy = images.filter((image) => image.status !== 'done');
        if (busy.length) throw new Error(`${busy.length} images not done: ${JSON.stringify(busy.slice(0, 3))}`);
        return images;
      },
      { timeout: 120_000, interval: 250 },
    );
    expect(settled).toHaveLength(PRODUCTS * IMAGES_EACH);
    const applied = workers.flatMap((worker) => worker.logs.filter((line) => line.msg === 'image job finished' && line.applied === true).map((line) => Number(line.image_id)));
    expect(new Set(applied).size).toBe(applied.length);
    // The killed worker may die between committing a completion and logging it (2 jobs in flight).
    expect(applied.length).toBeGreaterThanOrEqual(PRODUCTS * IMAGES_EACH - 2);

    // Nothing left in any queue, the dead-letter queue included.
    const names = topologyNames(prefix);
    const connection = await amqplib.connect(rabbit.url);
    try {
      const channel = await connection.createChannel();
      await eventually(async () => {
        for (const queue of [names.workQueue, names.deadQueue, ...RETRY_DELAYS.map(names.waitQueue)]) {
          expect({ queue, messages: (await channel.checkQueue(queue)).messageCount }).toEqual({ queue, messages: 0 });
        }
      });
    } finally {
      await connection.close();
    }

    const summary = `${counts.requests} requests, ${counts.refusedWhileDown} refused by the restarting API, ${counts.failed.length} failed; ${counts.pairs} write/read pairs, ${counts.stale.length} stale`;
    console.log(`processes under faults: ${summary}; ${applied.length} applied completions for ${settled.length} images; ${timeline.join(', ')}`);
    expect(counts.failed).toEqual([]);
    expect(counts.stale).toEqual([]);
    expect(counts.pairs).toBeGreaterThanOrEqual(PAIRS);
  });
});
