/**
 * `npm run bench [-- --quick]`: GET /products/:id uncached, cached (Redis) and the /healthz ceiling,
 * each API in its own process, loaded from this one. Prints markdown, writes bench/results/latest.json.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { Redis } from 'ioredis';
import { createTestDatabase } from '../test/support/postgres.js';
import { redisUrl } from '../test/support/redis.js';
import { spawnService, type SpawnedService } from '../test/support/spawn-service.js';
import { measure, warm } from './load.js';
import { buildResults, renderMarkdown, summarize, VARIANTS, type Round, type Sample, type Settings, type Variant } from './report.js';
import { seedProducts } from './seed.js';

const mode = process.argv.includes('--quick') ? 'quick' : 'full';
const settings: Settings =
  mode === 'quick'
    ? { products: 1_000, connections: 50, durationSeconds: 5, rounds: 2 }
    : { products: 10_000, connections: 50, durationSeconds: 15, rounds: 3 };
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
  const service = await spawnService('api.ts', env);
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
  const database = await createTestDatabase();
  cleanups.push(() => database.drop());
  const redis = await redisUrl();
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  cleanups.push(() => deleteKeys(redis, prefix));

  const ids = await seedProducts(database.url, settings.products);
  const randomProduct = () => `/products/${ids[Math.floor(Math.random() * ids.length)]}`;
  const uncached = await startApi({ DATABASE_URL: database.url, CACHE_ENABLED: 'false' });
  const cached = await startApi({ DATABASE_URL: database.url, REDIS_URL: redis, REDIS_PREFIX: prefix });
  await warm(cached.url, ids.map((id) => `/products/${id}`), settings.connections);

  const targets: Record<Variant, { url: string; path: () => string }> = {
    uncached: { url: uncached.url, path: randomProduct },
    cached: { url: cached.url, path: randomProduct },
    ceiling: { url: cached.url, path: () => '/healthz' },
  };
  const rounds: Round[] = [];
  for (let round = 0; round < settings.rounds; round += 1) {
    // The order rotates each round, so no variant always runs first (or last) on a warming machine.
    const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length] as Variant);
    const samples: Partial<Record<Variant, Sample>> = {};
    for (const variant of order) {
      samples[variant] = await measure({ ...targets[variant], connections: settings.connections, durationSeconds: settings.durationSeconds });
      console.error(`round ${round + 1}/${settings.rounds} ${variant}: ${Math.round(samples[variant].rps)} req/s`);
    }
    rounds.push(samples as Round);
  }

  const cpu = cpus();
  const machine = { cpus: cpu.length, cpuModel: cpu[0]?.model.trim() ?? 'unknown', node: process.version, date: new Date().toISOString(), mode } as const;
  const results = buildResults(summarize(rounds), machine, settings);
  await mkdir(RESULTS, { recursive: true });
  await writeFile(new URL('latest.json', RESULTS), `${JSON.stringify({ ...results, rounds }, null, 2)}\n`);
  process.stdout.write(renderMarkdown(results));
}

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
