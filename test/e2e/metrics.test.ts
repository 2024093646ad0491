import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTHORIZATION } from '../support/admin-key.js';
import { eventually } from '../support/eventually.js';
import { startImageOrigin, type ImageOrigin } from '../support/image-origin.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { useRabbitMq } from '../support/rabbitmq.js';
import { spawnService, type SpawnedService } from '../support/spawn-service.js';
import { catalogClient } from './catalog-client.js';

// Both kinds of process scraped as Prometheus would: the API's /metrics (admin key) and a
// worker's /metrics, /healthz and /readyz on its own port (WORKER_PORT). The API starts alone,
// so the outbox holds the POST's rows until the worker (which runs the relay) comes up.
const rabbit = useRabbitMq();
const RETRY_DELAYS_MS = [50];

/** The value of one series (`name{labels}` exactly as exposed), or undefined when absent. */
const series = (text: string, name: string): number | undefined => {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
};

describe('metrics on every process', () => {
  let database: TestDatabase;
  let origin: ImageOrigin;
  let api: SpawnedService;
  let worker: SpawnedService;
  let workerOps: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    [database, origin] = await Promise.all([createTestDatabase(), startImageOrigin()]);
    env = {
      DATABASE_URL: database.url,
      AMQP_URL: rabbit.url,
      AMQP_PREFIX: rabbit.prefix(RETRY_DELAYS_MS),
      DATA_DIR: `${process.env.TMPDIR ?? '/tmp'}/catalog-metrics-${Date.now()}`,
      IMAGE_FETCH_ALLOW_PRIVATE_NETWORKS: 'true',
      IMAGE_RETRY_DELAYS_MS: RETRY_DELAYS_MS.join(','),
      OUTBOX_POLL_INTERVAL_MS: '200',
    };
    api = await spawnService('api.ts', env, 60_000);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([api?.stop('SIGTERM'), worker?.stop('SIGTERM')]);
    await Promise.all([database?.drop(), origin?.close()]);
  });

  const scrapeApi = async () => (await fetch(`${api.url}/metrics`, { headers: ADMIN_AUTHORIZATION })).text();
  const scrapeWorker = async () => (await fetch(`${workerOps}/metrics`)).text();

  it('shows the outbox backlog while no relay runs, and the queue with no consumer', { timeout: 60_000 }, async () => {
    const client = catalogClient(api.url);
    const user = await client.user();
    const created = await fetch(`${api.url}/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'metrics-e2e-post', ...ADMIN_AUTHORIZATION },
      body: JSON.stringify({
        user_id: user,
        product_name: 'Scraped',
        product_description: 'two images',
        product_images: [`${origin.url}/images/dune.jpg?metrics=1`, `${origin.url}/status/503`],
        product_price: 10,
      }),
    });
    expect(created.status).toBe(201);
    const text = await scrapeApi();
    // The two images' tasks and the product.created event.
    expect(series(text, 'outbox_backlog_rows')).toBe(3);
    expect(series(text, 'outbox_oldest_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(series(text, 'task_queue_messages{queue="work"}')).toBe(0);
    expect(series(text, 'task_queue_consumers{queue="work"}')).toBe(0);
    expect(series(text, 'task_queue_messages{queue="dead"}')).toBe(0);
    expect(text).toContain('# TYPE outbox_backlog_rows gauge');
    expect(text).toContain('# TYPE task_queue_messages gauge');
    expect(series(text, 'metrics_source_failures_total')).toBe(0);

    worker = await spawnService('worker.ts', env, 60_000);
    workerOps = String(worker.logs.find((line) => line.msg === 'service started')?.ops_url);
    const product = (await created.json()) as { id: number };
    const settled = await client.settled(product.id, 90_000);
    expect(settled.images.map((image) => image.status)).toEqual(['done', 'failed']);
    // Drained: the backlog is gone, a worker consumes, the 503 image is one dead letter.
    await eventually(async () => {
      const after = await scrapeWorker();
      expect(series(after, 'outbox_backlog_rows')).toBe(0);
      expect(series(after, 'outbox_oldest_age_seconds')).toBe(0);
      expect(series(after, 'task_queue_consumers{queue="work"}')).toBe(1);
      expect(series(after, 'task_queue_messages{queue="dead"}')).toBe(1);
      expect(series(after, 'tasks_dead_lettered_total{type="image.process"}')).toBe(1);
    }, { timeout: 20_000 });
    // The API process sees the same broker figures; it dead-lettered nothing itself.
    const apiAfter = await scrapeApi();
    expect(series(apiAfter, 'task_queue_messages{queue="dead"}')).toBe(1);
    expect(apiAfter).not.toContain('tasks_dead_lettered_total{');
  });

  it('counts requests by route on the API and image stages and outcomes on the worker', { timeout: 60_000 }, async () => {
    const apiText = await scrapeApi();
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
    const workerText = await scrapeWorker();
    expect(workerText).toMatch(/image_jobs_total\{outcome="done"\} 1/);
    expect(workerText).toMatch(/image_jobs_total\{outcome="retry"\} 1/);
    expect(workerText).toMatch(/image_jobs_total\{outcome="failed"\} 1/);
    for (const stage of ['download', 'compress', 'store', 'commit']) {
      expect(workerText).toMatch(new RegExp(`image_job_stage_duration_seconds_count\\{stage="${stage}"\\} [1-9]`));
    }
    // Real compressions are counted (reused sources are not).
    expect(workerText).toMatch(/^image_compressions_total [1-9]/m);
    expect(workerText).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(workerText).toMatch(/^nodejs_eventloop_lag_p99_seconds \d/m);
    expect(workerText).toMatch(/^process_cpu_seconds_total \d/m);
    expect(workerText).not.toContain('http_request_duration_seconds_count');
  });

  it('has the worker\'s job log lines carry the POST\'s X-Request-Id, across the outbox and RabbitMQ', () => {
    const jobLines = worker.logs.filter((line) => typeof line.image_id === 'number');
    expect(jobLines.map((line) => line.msg)).toEqual(expect.arrayContaining(['image job started', 'image downloaded', 'image job finished']));
    expect(jobLines.every((line) => line.request_id === 'metrics-e2e-post')).toBe(true);
    const dead = worker.logs.find((line) => line.msg === 'task dead-lettered after its last attempt');
    expect(dead).toMatchObject({ request_id: 'metrics-e2e-post', attempt: 2 });
  });
});
