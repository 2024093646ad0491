import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startImageOrigin, type ImageOrigin } from '../support/image-origin.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { useRabbitMq } from '../support/rabbitmq.js';
import { eventually } from '../support/eventually.js';
import { spawnService, type SpawnedService } from '../support/spawn-service.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { photoNames } from '../support/testdata.js';
import { catalogClient, type ProductBody } from './catalog-client.js';

// Faults on real PostgreSQL and RabbitMQ: a worker killed mid-batch, and the broker vanishing
// while products are created. Objects go to the embedded file store under a temp DATA_DIR.
const RETRY_DELAYS = [200, 400];
const rabbit = useRabbitMq();
let origin: ImageOrigin;

beforeAll(async () => {
  origin = await startImageOrigin();
});
afterAll(async () => {
  await origin?.close();
});

const baseEnv = (database: TestDatabase, prefix: string, amqpUrl: string): Record<string, string> => ({
  DATABASE_URL: database.url,
  AMQP_URL: amqpUrl,
  AMQP_PREFIX: prefix,
  DATA_DIR: `${process.env.TMPDIR ?? '/tmp'}/catalog-faults-${prefix}`,
  IMAGE_FETCH_ALLOW_PRIVATE_NETWORKS: 'true',
  IMAGE_RETRY_DELAYS_MS: RETRY_DELAYS.join(','),
  OUTBOX_POLL_INTERVAL_MS: '200',
});

const images = (n: number) => Array.from({ length: n }, (_, i) => photoNames()[i % photoNames().length] as string);

describe('a worker killed with SIGKILL in the middle of a batch', () => {
  it('leaves every job done exactly once after another worker takes over', async () => {
    const database = await createTestDatabase();
    const env = baseEnv(database, rabbit.prefix(RETRY_DELAYS), rabbit.url);
    const api = await spawnService('api.ts', env);
    let first: SpawnedService | undefined;
    let second: SpawnedService | undefined;
    try {
      const client = catalogClient(api.url);
      const user = await client.user();
      const products: ProductBody[] = [];
      // Distinct URLs (query strings) so every job downloads; repeated bytes are compressed once and reused.
      for (let p = 0; p < 8; p += 1) {
        products.push(await client.product(user, images(5).map((name, i) => `${origin.url}/images/${name}?p=${p}&i=${i}`)));
      }
      first = await spawnService('worker.ts', env);
      const finished = (worker: SpawnedService) => worker.logs.filter((line) => line.msg === 'image job finished' && line.applied === true);
      await eventually(() => expect(finished(first as SpawnedService).length).toBeGreaterThanOrEqual(5), { timeout: 60_000, interval: 100 });
      expect(await first.stop('SIGKILL')).toBeNull();
      const total = products.length * 5;
      expect(finished(first).length).toBeLessThan(total); // killed mid-batch, not after

      second = await spawnService('worker.ts', env);
      for (const product of products) {
        const settled = await client.settled(product.id, 120_000);
        expect(settled.images.every((image) => image.status === 'done')).toBe(true);
        expect(new Set(settled.compressed_product_images).size).toBe(settled.compressed_product_images.length);
      }
      // Exactly once: no image was completed by two jobs, whichever worker ran them. The first
      // worker may die between committing a completion and logging it (its redelivery then logs
      // applied: false), so up to its prefetch (4 × WORKER_CONCURRENCY: 8) applied completions can
      // be missing from the logs; none may appear twice. Every image is done in the database (checked above).
      const completions = [...finished(first), ...finished(second)].map((line) => line.image_id);
      expect(new Set(completions).size).toBe(completions.length);
      expect(completions.length).toBeGreaterThanOrEqual(total - 8);
      expect(completions.length).toBeLessThanOrEqual(total);
    } finally {
      await second?.stop('SIGTERM');
      await first?.stop('SIGKILL');
      await api.stop('SIGTERM');
      await database.drop();
    }
  }, 240_000);
});

describe('the broker unreachable while products are created', () => {
  let proxy: TcpProxy;
  beforeAll(async () => {
    const target = new URL(rabbit.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5672));
  });
  afterAll(async () => {
    await proxy?.close();
  });

  it('answers every POST with 201 and processes all images once it is back', async () => {
    const database = await createTestDatabase();
    const env = baseEnv(database, rabbit.prefix(RETRY_DELAYS), proxy.url(rabbit.url));
    const service = await spawnService('server.ts', env);
    try {
      const client = catalogClient(service.url);
      const user = await client.user();
      proxy.cut();
      const products: ProductBody[] = [];
      for (let p = 0; p < 5; p += 1) {
        products.push(await client.product(user, images(2).map((name, i) => `${origin.url}/images/${name}?outage=${p}-${i}`)));
      }
      const ready = await fetch(`${service.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(JSON.stringify(await ready.json())).toContain('amqp');
      // Nothing was processed while the broker was away.
      for (const product of products) expect((await client.get(product.id)).images.every((image) => image.status === 'pending')).toBe(true);

      proxy.restore();
      for (const product of products) {
        const settled = await client.settled(product.id, 120_000);
        expect(settled.images.map((image) => image.status)).toEqual(['done', 'done']);
      }
      expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
    } finally {
      await service.stop('SIGTERM');
      await database.drop();
    }
  }, 240_000);
});
