/**
 * The scaling section: cached GET throughput with 1 and then 2 API processes behind the same
 * Redis (one autocannon per process, the connections split), and images/s with 1 and then 2
 * workers on the same queue, each with the CPU every process used.
 */
import { cpus, loadavg } from 'node:os';
import { createTestDatabase } from '../test/support/postgres.js';
import { photoNames } from '../test/support/testdata.js';
import type { BenchContext, Mode } from './context.js';
import { cpuSecondsOf } from './cpu-split.js';
import { startImagePipeline } from './image-pipeline.js';
import { measure, warm } from './load.js';
import { cpuSeconds, machineBusySeconds } from './proc-stats.js';
import { buildScalingResult, type Cores, type GetScaleRun, type ImageScaleRun, type ScalingResult } from './scaling-report.js';
import { seedCatalog } from './seed.js';

export type { ScalingResult } from './scaling-report.js';

const SETTINGS: Record<Mode, { connections: number; durationSeconds: number; products: number; imageProducts: number }> = {
  quick: { connections: 50, durationSeconds: 5, products: 2_000, imageProducts: 2 },
  full: { connections: 100, durationSeconds: 15, products: 20_000, imageProducts: 6 },
};

/**
 * CPU seconds now of the named pids, of the services by process name (every database, broker and
 * Redis client of the machine, not only ours), of this process (the load and the fakes), and of
 * the whole machine.
 */
async function readCpu(pids: Readonly<Record<string, number>>): Promise<Record<string, number>> {
  const own = process.cpuUsage();
  const entries = await Promise.all(Object.entries(pids).map(async ([name, pid]) => [name, await cpuSeconds(pid)] as const));
  return {
    ...Object.fromEntries(entries),
    postgres: await cpuSecondsOf('postgres'),
    redis: await cpuSecondsOf('redis-server'),
    rabbitmq: await cpuSecondsOf('beam.smp'),
    bench: (own.user + own.system) / 1e6,
    machine: await machineBusySeconds(),
  };
}

/** Cores each used between two readings over `seconds`; groups that did (next to) nothing are left out. */
function coresBetween(before: Record<string, number>, after: Record<string, number>, seconds: number): Cores {
  return Object.fromEntries(
    Object.keys(after)
      .map((name) => [name, ((after[name] ?? 0) - (before[name] ?? 0)) / seconds] as const)
      .filter(([, cores]) => cores >= 0.01),
  );
}

async function getRun(apis: readonly { url: string; pid: number }[], productIds: readonly string[], connections: number, durationSeconds: number): Promise<GetScaleRun> {
  const pids = Object.fromEntries(apis.map((api, i) => [`api ${i + 1}`, api.pid]));
  const path = () => `/products/${productIds[Math.floor(Math.random() * productIds.length)]}`;
  const before = await readCpu(pids);
  const start = performance.now();
  const samples = await Promise.all(
    apis.map((api) => measure({ url: api.url, path, connections: Math.ceil(connections / apis.length), durationSeconds })),
  );
  const seconds = (performance.now() - start) / 1000;
  const cores = coresBetween(before, await readCpu(pids), seconds);
  return {
    processes: apis.length,
    rps: samples.reduce((sum, sample) => sum + sample.rps, 0),
    p99Ms: Math.max(...samples.map((sample) => sample.p99Ms)),
    cores,
  };
}

async function imageRun(ctx: BenchContext, workers: number, products: number): Promise<ImageScaleRun> {
  const pipeline = await startImagePipeline(ctx, { workers });
  try {
    const pids = Object.fromEntries(pipeline.workerPids.map((pid, i) => [`worker ${i + 1}`, pid]));
    const before = await readCpu(pids);
    const start = performance.now();
    await pipeline.submit(products);
    const { done, failed } = await pipeline.settled();
    const seconds = (performance.now() - start) / 1000;
    const cores = coresBetween(before, await readCpu(pids), seconds);
    if (failed > 0) throw new Error(`${failed} photos failed: ${JSON.stringify(await pipeline.failures())}`);
    return { processes: workers, images: done, seconds, imagesPerSecond: done / seconds, cores };
  } finally {
    await pipeline.stop();
  }
}

/** Runs the four measurements; its own catalog (a small one: the GETs are all cache hits) and pipelines. */
export async function runScaling(ctx: BenchContext): Promise<ScalingResult> {
  const settings = SETTINGS[ctx.mode];
  const loadAverage = loadavg()[0] ?? 0;
  const database = await createTestDatabase();
  ctx.defer(() => database.drop());
  ctx.log(`scaling: seeding ${settings.products} products`);
  const { productIds } = await seedCatalog(database.url, { products: settings.products, users: 10 });
  const env = { DATABASE_URL: database.url, REDIS_URL: ctx.redisUrl, REDIS_PREFIX: `${ctx.redisPrefix}scaling:` };
  const [first, second] = await Promise.all([ctx.startApi(env), ctx.startApi(env)]);
  const apis = [first, second].map((api) => ({ url: api.url, pid: api.child.pid as number }));
  // One shared Redis: warming through the first API fills the cache both read.
  await warm(apis[0]!.url, productIds.map((id) => `/products/${id}`), settings.connections);
  const one = await getRun(apis.slice(0, 1), productIds, settings.connections, settings.durationSeconds);
  ctx.log(`scaling: 1 API ${Math.round(one.rps)} req/s`);
  const two = await getRun(apis, productIds, settings.connections, settings.durationSeconds);
  ctx.log(`scaling: 2 APIs ${Math.round(two.rps)} req/s`);
  await Promise.all([first.stop('SIGTERM'), second.stop('SIGTERM')]);

  const oneWorker = await imageRun(ctx, 1, settings.imageProducts);
  ctx.log(`scaling: 1 worker ${oneWorker.imagesPerSecond.toFixed(2)} images/s`);
  const twoWorkers = await imageRun(ctx, 2, settings.imageProducts);
  ctx.log(`scaling: 2 workers ${twoWorkers.imagesPerSecond.toFixed(2)} images/s (${settings.imageProducts * photoNames().length} photos a run)`);
  return buildScalingResult({
    cpus: cpus().length,
    loadAverage,
    get: { connections: settings.connections, durationSeconds: settings.durationSeconds, one, two },
    images: { one: oneWorker, two: twoWorkers },
  });
}
