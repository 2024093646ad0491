/**
 * Issue 14's benchmark: events per second through the outbox to a webhook receiver on 127.0.0.1
 * (the API and a worker on PostgreSQL and RabbitMQ, WEBHOOK_ALLOW_PRIVATE_NETWORKS=true), then the
 * cached GET /products/:id (wrk) alone and while 1,000 webhook deliveries run, in rounds whose order
 * rotates. Each batch of events is one bulk create of 1,000 products, each a `product.created`.
 * For the GET during deliveries the batch is created while the worker (which relays the outbox and
 * delivers) is stopped; the worker is then started and the load begins with the first delivery, so
 * the API serves only the GETs and neither the bulk create nor the worker's start-up is measured.
 * That batch is three times as large in a full run, so that deliveries go on for the whole window
 * (a batch that ended before the window would dilute the figure); the result says whether it did.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_AUTHORIZATION } from '../test/support/admin-key.js';
import { createTestDatabase } from '../test/support/postgres.js';
import { deleteTopology, rabbitMqUrl } from '../test/support/rabbitmq.js';
import { spawnService } from '../test/support/spawn-service.js';
import { bulkBody } from './bulk.js';
import type { BenchContext } from './context.js';
import { cpuSecondsOf, medianShares, startCpuShares, type CpuShares } from './cpu-split.js';
import type { EventsResult } from './events-report.js';
import { measure, warm } from './load.js';
import { cpuSeconds } from './proc-stats.js';
import type { Sample } from './sample.js';
import { median } from './stats.js';

const BATCH = 1_000;
const CONNECTIONS = 50;

/** The receiver: counts every delivery and answers 204 at once. */
async function startReceiver() {
  let received = 0;
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      received += 1;
      response.writeHead(204).end();
      for (const waiter of waiters.filter((w) => received >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    received: () => received,
    /** Resolves once `count` deliveries arrived in all. */
    until: (count: number) => (received >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve }))),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function postJson(url: string, path: string, body: unknown, authorization: Record<string, string>) {
  const response = await fetch(new URL(path, url), { method: 'POST', headers: { 'content-type': 'application/json', ...authorization }, body: JSON.stringify(body) });
  if (response.status !== 201) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<Record<string, unknown>>;
}

/** One bulk create of `count` products of `userId`; their ids. */
async function createBatch(url: string, userId: string, count: number): Promise<number[]> {
  const response = await fetch(new URL('/products/bulk', url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', ...ADMIN_AUTHORIZATION },
    body: bulkBody(count, [userId], 0),
  });
  const lines = (await response.text()).trim().split('\n').map((line) => JSON.parse(line) as { status: number; id?: number });
  if (response.status !== 200 || lines.some((line) => line.status !== 201)) throw new Error(`bulk create: ${response.status}`);
  return lines.map((line) => line.id as number);
}

export async function runEvents(ctx: BenchContext): Promise<EventsResult> {
  // Five full rounds: on this shared machine one window in a few loses half its rate to a neighbour.
  const rounds = ctx.mode === 'quick' ? 2 : 5;
  const durationSeconds = ctx.mode === 'quick' ? 3 : 10;
  const duringBatch = ctx.mode === 'quick' ? BATCH : 3 * BATCH;
  const receiver = await startReceiver();
  ctx.defer(() => receiver.close());
  const database = await createTestDatabase();
  ctx.defer(() => database.drop());
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-events-'));
  ctx.defer(() => rm(dataDir, { recursive: true, force: true }));
  const amqpUrl = await rabbitMqUrl();
  const prefix = `bench-events-${randomBytes(4).toString('hex')}`;
  ctx.defer(() => deleteTopology(amqpUrl, prefix));
  const env = { DATABASE_URL: database.url, AMQP_URL: amqpUrl, AMQP_PREFIX: prefix, DATA_DIR: dataDir, WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' };
  const api = await ctx.startApi({ ...env, REDIS_URL: ctx.redisUrl, REDIS_PREFIX: `${ctx.redisPrefix}events:` });
  const startWorker = async () => {
    const started = await spawnService('worker.ts', { ...env, ...ctx.workerEnv, REDIS_URL: ctx.redisUrl, REDIS_PREFIX: `${ctx.redisPrefix}events:` });
    // A delivery writes log lines: drained unparsed, so this process spends its CPU on the load.
    started.child.stdout?.removeAllListeners('data');
    started.child.stdout?.resume();
    return started;
  };
  let worker = await startWorker();
  ctx.defer(() => worker.stop('SIGTERM'));

  const user = await postJson(api.url, '/users', { name: 'Bench hooks', email: `bench-hooks-${Date.now()}@example.com` }, ADMIN_AUTHORIZATION);
  await postJson(api.url, '/webhooks', { url: receiver.url, events: ['product.created'] }, { authorization: `Bearer ${String(user.api_key)}` });
  const userId = String(user.id);

  // Events/s: from the bulk request to the last of its deliveries, nothing else running.
  const loadAverage = loadavg()[0] as number;
  const began = performance.now();
  const ids = await createBatch(api.url, userId, BATCH);
  await receiver.until(BATCH);
  const seconds = (performance.now() - began) / 1000;
  ctx.log(`events: ${BATCH} deliveries in ${seconds.toFixed(2)} s`);

  const paths = ids.map((id) => `/products/${id}`);
  await warm(api.url, paths, 10);
  const load = { url: api.url, connections: CONNECTIONS, durationSeconds, path: () => '/', paths };
  // Where the CPU went in each window: what a delivery costs, and which process takes it from the API.
  const ownCpu = async () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  };
  const sharesOf = () =>
    startCpuShares({
      api: () => cpuSeconds(api.child.pid as number),
      worker: () => cpuSeconds(worker.child.pid as number),
      postgres: () => cpuSecondsOf('postgres'),
      rabbitmq: () => cpuSecondsOf('beam.smp'),
      redis: () => cpuSecondsOf('redis-server'),
      bench: ownCpu,
    });
  const cpu: Record<'alone' | 'during', CpuShares[]> = { alone: [], during: [] };
  const alone: Sample[] = [];
  const during: Sample[] = [];
  const deliveredDuring: number[] = [];
  let windowsCovered = 0;
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? (['alone', 'during'] as const) : (['during', 'alone'] as const);
    for (const variant of order) {
      if (variant === 'alone') {
        const shares = await sharesOf();
        alone.push(await measure(load));
        cpu.alone.push(await shares());
        continue;
      }
      const before = receiver.received();
      await worker.stop('SIGTERM');
      await createBatch(api.url, userId, duringBatch);
      worker = await startWorker();
      await receiver.until(before + 1);
      const shares = await sharesOf();
      const sample = await measure(load);
      cpu.during.push(await shares());
      during.push(sample);
      const delivered = receiver.received() - before;
      deliveredDuring.push(delivered);
      if (delivered < duringBatch) windowsCovered += 1;
      // The next round starts with every delivery of this one done.
      await receiver.until(before + duringBatch);
    }
    ctx.log(`events round ${round + 1}/${rounds}: alone ${Math.round(alone.at(-1)!.rps)} req/s, during deliveries ${Math.round(during.at(-1)!.rps)} req/s`);
  }
  await Promise.all([api.stop('SIGTERM'), worker.stop('SIGTERM')]);
  const aloneRps = Math.round(median(alone.map((sample) => sample.rps)));
  const duringRps = Math.round(median(during.map((sample) => sample.rps)));
  return {
    events: BATCH,
    seconds: Math.round(seconds * 100) / 100,
    per_second: Math.round(BATCH / seconds),
    load_average: Math.round(loadAverage * 100) / 100,
    get: {
      connections: CONNECTIONS,
      duration_s: durationSeconds,
      rounds,
      alone_rps: aloneRps,
      during_rps: duringRps,
      deliveries_during_median: median(deliveredDuring),
      during_batch: duringBatch,
      windows_covered: windowsCovered,
      during_vs_alone: Math.round((duringRps / aloneRps) * 100) / 100,
    },
    cpu: { alone: medianShares(cpu.alone), during: medianShares(cpu.during) },
  };
}
