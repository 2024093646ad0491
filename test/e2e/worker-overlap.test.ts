import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisApiLoad } from '../../src/adapters/redis/index.js';
import { eventually } from '../support/eventually.js';
import { startImageOrigin, type ImageOrigin } from '../support/image-origin.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { useRabbitMq } from '../support/rabbitmq.js';
import { useSharedRedis } from '../support/redis.js';
import { s3Environment, startS3Server, type TestS3Server } from '../support/s3-server.js';
import { spawnService, type SpawnedService } from '../support/spawn-service.js';
import { photoNames } from '../support/testdata.js';
import { catalogClient } from './catalog-client.js';

// An API process and a worker process (`npm run start:worker`) on real PostgreSQL, RabbitMQ and
// s3rver: the worker takes more deliveries than it has CPU slots, under a small byte budget, and
// runs at a lower CPU priority than the API, libvips' threads included, and paces itself while
// an API on its host (HOST_ID, through Redis) reports saturation.
const rabbit = useRabbitMq();
const redis = useSharedRedis();
const HOST = `host-${Date.now()}`;
let database: TestDatabase;
let s3: TestS3Server;
let origin: ImageOrigin;
let api: SpawnedService;
let worker: SpawnedService;

/** Each thread of `pid`: its name and nice value (field 19 of /proc/<pid>/task/<tid>/stat). */
function threadsOf(pid: number): { tid: number; name: string; nice: number }[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    return { tid: Number(tid), name, nice: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]) };
  });
}

beforeAll(async () => {
  [database, s3, origin] = await Promise.all([createTestDatabase(), startS3Server(), startImageOrigin()]);
  const env = {
    DATABASE_URL: database.url,
    AMQP_URL: rabbit.url,
    AMQP_PREFIX: rabbit.prefix([200]),
    ...s3Environment(s3),
    IMAGE_FETCH_ALLOW_PRIVATE_NETWORKS: 'true',
    IMAGE_RETRY_DELAYS_MS: '200',
    OUTBOX_POLL_INTERVAL_MS: '100',
    REDIS_URL: redis.url,
    REDIS_PREFIX: redis.prefix,
    HOST_ID: HOST,
  };
  api = await spawnService('api.ts', env, 60_000);
  // Room for two of the largest sources (4 MiB each) at once, eight deliveries, one compression.
  worker = await spawnService('worker.ts', { ...env, WORKER_CONCURRENCY: '1', WORKER_PREFETCH: '8', IMAGE_MAX_BYTES: String(4 * 1024 * 1024), WORKER_MAX_BYTES_IN_FLIGHT: String(8 * 1024 * 1024), WORKER_NICE: '7', WORKER_YIELD_DUTY: '0.5' }, 60_000);
}, 120_000);

afterAll(async () => {
  await worker?.stop('SIGTERM');
  await api?.stop('SIGTERM');
  await Promise.all([origin?.close(), s3?.close(), database?.drop()]);
});

describe('a worker process overlapping I/O with compression', () => {
  it('processes every photo end to end, acked once each, under its byte budget', { timeout: 120_000 }, async () => {
    const client = catalogClient(api.url);
    const user = await client.user();
    const urls = photoNames().map((name, i) => `${origin.url}/images/${name}?i=${i}`);
    const created = await client.product(user, urls);
    const product = await client.settled(created.id, 100_000);
    expect(product.images.map((image) => [image.status, image.error])).toEqual(urls.map(() => ['done', null]));
    for (const url of product.compressed_product_images) expect((await fetch(url)).status).toBe(200);
    // The worker commits the result before it logs the job finished: the last line may follow the read.
    await eventually(() => {
      const finished = worker.logs.filter((line) => line.msg === 'image job finished' && line.product_id === created.id);
      expect(finished.map((line) => line.applied)).toEqual(urls.map(() => true));
    });
    // Downloads ran ahead of compression: some job was downloaded before the previous one was compressed.
    const order = worker.logs.filter((line) => line.product_id === created.id && (line.msg === 'image downloaded' || line.msg === 'image compressed')).map((line) => line.msg);
    expect(order.findIndex((msg, i) => msg === 'image downloaded' && order[i + 1] === 'image downloaded')).toBeGreaterThanOrEqual(0);
  });

  it('runs every thread of the worker at WORKER_NICE, libvips included, and leaves the API at 0', () => {
    const threads = threadsOf(worker.child.pid as number);
    expect(threads.filter((thread) => thread.name === 'libvips worker').length).toBeGreaterThan(0);
    expect(threads.filter((thread) => thread.nice !== 7)).toEqual([]);
    expect(threadsOf(api.child.pid as number).every((thread) => thread.nice === 0)).toBe(true);
  });

  it('paces its compressions while an API on its host reports saturation, and still finishes every image', { timeout: 120_000 }, async () => {
    const opsUrl = String(worker.logs.find((line) => line.msg === 'service started')?.ops_url);
    const metric = async (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(await (await fetch(`${opsUrl}/metrics`)).text())?.[1]);
    const load = await RedisApiLoad.connect({ url: redis.url, prefix: redis.prefix });
    // What the API does while its event loop is saturated: a mark that a later one extends (3 s
    // rather than the API's 1 s, so a busy test machine delaying a refresh cannot let it lapse).
    const mark = () => load.markSaturated(HOST, 3_000).catch(() => undefined);
    await mark();
    const marking = setInterval(() => void mark(), 200);
    try {
      await eventually(async () => expect(await metric('worker_yielding')).toBe(1));
      const client = catalogClient(api.url);
      const user = await client.user();
      const urls = photoNames().slice(0, 3).map((name, i) => `${origin.url}/images/${name}?yield=${i}`);
      const created = await client.product(user, urls);
      // Slowed, never stopped: every image ends done while the API stays saturated.
      const product = await client.settled(created.id, 100_000);
      expect(product.images.map((image) => image.status)).toEqual(urls.map(() => 'done'));
      expect(await metric('worker_yielding')).toBe(1);
      expect(await metric('worker_yield_wait_seconds_total')).toBeGreaterThan(0);
    } finally {
      clearInterval(marking);
      await load.close();
    }
    await eventually(async () => expect(await metric('worker_yielding')).toBe(0));
    expect(worker.logs.map((line) => line.msg)).toEqual(
      expect.arrayContaining(['the API on this host is saturated: the worker yields', 'the API on this host has room again: the worker runs at full speed']),
    );
  });
});
