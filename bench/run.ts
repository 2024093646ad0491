/**
 * `npm run bench [-- --quick] [-- --only get,list,...]`: seeds a scratch catalog, runs each API
 * under test in its own process and loads it from this one; prints a markdown report and writes
 * bench/results/latest.json. Sections: get, list, stampede, overload, worker, images, hostile, scaling, bulk, events.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { Redis } from 'ioredis';
import { createTestDatabase } from '../test/support/postgres.js';
import { redisUrl } from '../test/support/redis.js';
import { spawnService, type SpawnedService } from '../test/support/spawn-service.js';
import { parseWorkerEnv, type BenchContext, type Mode } from './context.js';
import { runBulk } from './bulk.js';
import { runEvents } from './events.js';
import { runGet } from './get.js';
import { runHostile } from './hostile.js';
import { runImages, startImagePipeline, type ImagePipeline } from './images.js';
import { runList } from './list.js';
import { runOverload } from './overload.js';
import { SECTIONS, assemble, parseArgs, renderReport, type Section, type SectionResults } from './report.js';
import { seedCatalog } from './seed.js';
import { runQuality } from './quality.js';
import { runScaling } from './scaling.js';
import { runStampede } from './stampede.js';
import { runWorkerBusy } from './worker-busy.js';

const { mode, sections } = parseArgs(process.argv.slice(2));
const catalogSize = (m: Mode) => (m === 'quick' ? { products: 100_000, users: 100 } : { products: 1_000_000, users: 1_000 });
const RESULTS = new URL('results/', import.meta.url);

const cleanups: (() => Promise<unknown>)[] = [];
// Reverse order of setup; each step runs even when an earlier one failed.
async function cleanUp(): Promise<void> {
  for (const step of cleanups.splice(0).reverse()) await step().catch((error: unknown) => console.error('cleanup:', error));
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
}

async function startApi(env: Record<string, string>): Promise<SpawnedService> {
  // The load comes from one address, which the anonymous read quota would soon refuse: the
  // benchmark measures the API, not its limiter.
  // The machine is shared: with the production 50 ms Redis timeout, other processes holding the
  // cores made calls time out and the breaker open, and the cached variants measured the fail-open
  // path (a list run found 29 of 30 warmed pages missing; 1,000 ms: 30 of 30 hits, 6.9x the rps).
  const service = await spawnService('api.ts', { RATE_LIMIT_ENABLED: 'false', REDIS_COMMAND_TIMEOUT_MS: '1000', ...env });
  cleanups.push(() => service.stop('SIGTERM'));
  // Every request writes an access-log line (the production setting, in all variants alike); drain
  // them unparsed so this process spends its CPU on the load, not on logs.
  service.child.stdout?.removeAllListeners('data');
  service.child.stdout?.resume();
  return service;
}

async function deleteKeys(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await client.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

async function main(): Promise<void> {
  const began = performance.now();
  const redis = await redisUrl();
  const ctx: BenchContext = {
    mode,
    redisUrl: redis,
    redisPrefix: `bench-${randomBytes(4).toString('hex')}:`,
    startApi,
    defer: (step) => void cleanups.push(step),
    log: (message) => console.error(`[${((performance.now() - began) / 1000).toFixed(0).padStart(4)} s] ${message}`),
    workerEnv: parseWorkerEnv(process.env.BENCH_WORKER_ENV),
  };
  if (Object.keys(ctx.workerEnv).length > 0) ctx.log(`every worker also gets ${JSON.stringify(ctx.workerEnv)} (BENCH_WORKER_ENV)`);
  cleanups.push(() => deleteKeys(redis, ctx.redisPrefix));

  // images, quality, hostile, scaling, bulk and events start services of their own, on their own data.
  const ownData: readonly string[] = ['images', 'quality', 'hostile', 'scaling', 'bulk', 'events'];
  const needsCatalog = sections.some((section) => !ownData.includes(section));
  const size = catalogSize(mode);
  let catalog: { databaseUrl: string; userIds: readonly string[]; productIds: readonly string[] } | undefined;
  if (needsCatalog) {
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    ctx.log(`seeding ${size.products} products of ${size.users} users`);
    const seeded = await seedCatalog(database.url, size);
    // The GET sections load a sample: warming every key of a million would dominate the run.
    const sample = mode === 'quick' ? seeded.productIds.slice(0, 1_000) : seeded.productIds;
    catalog = { databaseUrl: database.url, userIds: seeded.userIds, productIds: sample };
  }
  const need = () => {
    if (catalog === undefined) throw new Error('no catalog seeded');
    return catalog;
  };

  // The worker and images sections share one pipeline: its start-up is a quarter of each.
  let pipeline: Promise<ImagePipeline> | undefined;
  const sharedPipeline = () => (pipeline ??= startImagePipeline(ctx));
  const run: { [S in Section]: () => Promise<SectionResults[S]> } = {
    get: () => runGet(ctx, need()),
    list: () => runList(ctx, need()),
    stampede: () => runStampede(ctx, need()),
    overload: () => runOverload(ctx, need()),
    worker: () => runWorkerBusy(ctx, need(), sharedPipeline),
    images: () => runImages(ctx, sharedPipeline),
    quality: () => runQuality(ctx),
    hostile: () => runHostile(ctx),
    scaling: () => runScaling(ctx),
    bulk: () => runBulk(ctx),
    events: () => runEvents(ctx),
  };
  const results: Partial<SectionResults> = {};
  for (const section of SECTIONS.filter((name) => sections.includes(name))) {
    ctx.log(`section ${section}`);
    Object.assign(results, { [section]: await run[section]() });
  }

  const cpu = cpus();
  const machine = {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    date: new Date().toISOString(),
    mode,
    seconds: Math.round((performance.now() - began) / 1000),
  };
  const report = assemble(machine, size, results);
  await mkdir(RESULTS, { recursive: true });
  await writeFile(new URL('latest.json', RESULTS), `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(renderReport(report));
}

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
