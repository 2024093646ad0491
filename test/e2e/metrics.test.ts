import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTHORIZATION } from '../support/admin-key.js';
import { startImageOrigin, type ImageOrigin } from '../support/image-origin.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { useRabbitMq } from '../support/rabbitmq.js';
import { spawnService, type SpawnedService } from '../support/spawn-service.js';
import { catalogClient } from './catalog-client.js';

// Both kinds of process scraped as Prometheus would: the API's /metrics (admin key) and a
// worker's /metrics, /healthz and /readyz on its own port (WORKER_PORT).
const rabbit = useRabbitMq();

describe('metrics on every process', () => {
  let database: TestDatabase;
  let origin: ImageOrigin;
  let api: SpawnedService;
  let worker: SpawnedService;
  let workerOps: string;

  beforeAll(async () => {
    [database, origin] = await Promise.all([createTestDatabase(), startImageOrigin()]);
    const env = {
      DATABASE_URL: database.url,
      AMQP_URL: rabbit.url,
      AMQP_PREFIX: rabbit.prefix(),
      DATA_DIR: `${process.env.TMPDIR ?? '/tmp'}/catalog-metrics-${Date.now()}`,
      IMAGE_FETCH_ALLOW_PRIVATE_NETWORKS: 'true',
      OUTBOX_POLL_INTERVAL_MS: '200',
    };
    [api, worker] = await Promise.all([spawnService('api.ts', env, 60_000), spawnService('worker.ts', env, 60_000)]);
    workerOps = String(worker.logs.find((line) => line.msg === 'service started')?.ops_url);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([api?.stop('SIGTERM'), worker?.stop('SIGTERM')]);
    await Promise.all([database?.drop(), origin?.close()]);
  });

  it('counts requests by route on the API and image stages and outcomes on the worker', { timeout: 120_000 }, async () => {
    const client = catalogClient(api.url);
    const user = await client.user();
    const product = await client.product(user, [`${origin.url}/images/dune.jpg?metrics=1`]);
    const settled = await client.settled(product.id, 90_000);
    expect(settled.images[0]?.status).toBe('done');

    const apiText = await (await fetch(`${api.url}/metrics`, { headers: ADMIN_AUTHORIZATION })).text();
    expect(apiText).toMatch(/http_request_duration_seconds_count\{route="\/products\/:id",method="GET",status="200"\} [1-9]/);
    expect(apiText).toMatch(/http_request_duration_seconds_count\{route="\/products",method="POST",status="201"\} 1/);
    expect(apiText).toMatch(/^product_cache_loads_total \d/m);
    expect(apiText).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(apiText).toMatch(/^process_resident_memory_bytes \d/m);

    expect(workerOps).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${workerOps}/healthz`)).status).toBe(200);
    const ready = await fetch(`${workerOps}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: expect.arrayContaining([expect.objectContaining({ name: 'postgres', ok: true })]) });
    const workerText = await (await fetch(`${workerOps}/metrics`)).text();
    expect(workerText).toMatch(/image_jobs_total\{outcome="done"\} 1/);
    for (const stage of ['download', 'compress', 'commit']) {
      expect(workerText).toMatch(new RegExp(`image_job_stage_duration_seconds_count\\{stage="${stage}"\\} 1`));
    }
    // One put per rendition (dune.jpg: 320, 640, 1024, 1600), and one real compression.
    expect(workerText).toMatch(new RegExp(`image_job_stage_duration_seconds_count\\{stage="store"\\} ${settled.images[0]?.renditions.length}`));
    expect(settled.images[0]?.renditions).toHaveLength(4);
    expect(workerText).toMatch(/^image_compressions_total 1$/m);
    expect(workerText).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(workerText).not.toContain('http_request_duration_seconds_count');
  });
});
