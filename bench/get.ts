/**
 * GET /products/:id uncached (PostgreSQL), cached (Redis) and the ceiling (/healthz of the same
 * server); then the cached GET with a user's API key, for what checking the key costs. The load
 * comes from wrk (bench/wrk.ts), one process of its own.
 */
import { ADMIN_AUTHORIZATION } from '../test/support/admin-key.js';
import type { BenchContext } from './context.js';
import { medianSplit, startCpuSplit, type CpuSplit } from './cpu-split.js';
import { summarize, VARIANTS, type GetRun, type LocalCopies, type GetSettings, type Round, type Variant } from './get-report.js';
import { measure, warm } from './load.js';
import { medianSample, type Sample } from './sample.js';

export const getSettings = (mode: BenchContext['mode']): GetSettings =>
  mode === 'quick' ? { connections: 50, durationSeconds: 3, rounds: 2 } : { connections: 50, durationSeconds: 15, rounds: 3 };

/** A user's key, from POST /users with the admin key the bench's processes accept. */
async function userKey(url: string): Promise<string> {
  const response = await fetch(new URL('/users', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...ADMIN_AUTHORIZATION },
    body: JSON.stringify({ name: 'Bench key', email: `bench-key-${Date.now()}@example.com` }),
  });
  if (response.status !== 201) throw new Error(`POST /users: ${response.status}`);
  return ((await response.json()) as { api_key: string }).api_key;
}

/** The local-copy figures of the API at `url`, read from its /metrics; undefined when it holds none. */
async function localCopies(url: string): Promise<LocalCopies | undefined> {
  const text = await (await fetch(new URL('/metrics', url), { headers: ADMIN_AUTHORIZATION })).text();
  const figure = (name: string) => Number(new RegExp(`^redis_cache_${name} (\\d+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  const local = { hits: figure('hits_total'), local_hits: figure('local_hits_total'), entries: figure('local_entries'), bytes: figure('local_bytes') };
  return Number.isNaN(local.local_hits) ? undefined : local;
}

/** Every variant once per round, in an order that rotates each round; the medians and the raw rounds. */
export async function runGet(ctx: BenchContext, catalog: { databaseUrl: string; productIds: readonly string[] }): Promise<GetRun> {
  const settings = getSettings(ctx.mode);
  const { databaseUrl, productIds } = catalog;
  const randomProduct = () => `/products/${productIds[Math.floor(Math.random() * productIds.length)]}`;
  const [uncached, cached] = await Promise.all([
    ctx.startApi({ DATABASE_URL: databaseUrl, CACHE_ENABLED: 'false' }),
    ctx.startApi({ DATABASE_URL: databaseUrl, REDIS_URL: ctx.redisUrl, REDIS_PREFIX: `${ctx.redisPrefix}get:` }),
  ]);
  // Every product the load asks for is in Redis before the cached variant is measured.
  await warm(cached.url, productIds.map((id) => `/products/${id}`), settings.connections);
  const keyed = { url: cached.url, pid: cached.child.pid as number, path: randomProduct, headers: { authorization: `Bearer ${await userKey(cached.url)}` } };
  const keyedSamples: Sample[] = [];
  const keyedCpu: CpuSplit[] = [];

  const targets: Record<Variant, { url: string; pid: number; path: () => string }> = {
    uncached: { url: uncached.url, pid: uncached.child.pid as number, path: randomProduct },
    cached: { url: cached.url, pid: cached.child.pid as number, path: randomProduct },
    ceiling: { url: cached.url, pid: cached.child.pid as number, path: () => '/healthz' },
  };
  const cpu: Record<Variant, CpuSplit[]> = { uncached: [], cached: [], ceiling: [] };
  const rounds: Round[] = [];
  for (let round = 0; round < settings.rounds; round += 1) {
    // The order rotates each round, so no variant always runs first (or last) on a warming machine.
    const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length] as Variant);
    const samples: Partial<Record<Variant, Sample>> = {};
    for (const variant of order) {
      const split = await startCpuSplit(targets[variant].pid);
      const sample = await measure({ ...targets[variant], connections: settings.connections, durationSeconds: settings.durationSeconds });
      samples[variant] = sample;
      cpu[variant].push(await split(sample.requests));
      ctx.log(`get round ${round + 1}/${settings.rounds} ${variant}: ${Math.round(sample.rps)} req/s`);
      if (variant !== 'cached') continue;
      // Right after the anonymous cached GET, on the same process and products.
      const keyedSplit = await startCpuSplit(keyed.pid);
      const keyedSample = await measure({ ...keyed, connections: settings.connections, durationSeconds: settings.durationSeconds });
      keyedSamples.push(keyedSample);
      keyedCpu.push(await keyedSplit(keyedSample.requests));
      ctx.log(`get round ${round + 1}/${settings.rounds} cached with a key: ${Math.round(keyedSample.rps)} req/s`);
    }
    rounds.push(samples as Round);
  }
  const local = await localCopies(cached.url);
  await Promise.all([uncached.stop('SIGTERM'), cached.stop('SIGTERM')]);
  return {
    settings,
    summary: summarize(rounds),
    rounds,
    cpuUsPerRequest: { uncached: medianSplit(cpu.uncached), cached: medianSplit(cpu.cached), ceiling: medianSplit(cpu.ceiling) },
    keyed: { summary: medianSample(keyedSamples), cpuUsPerRequest: medianSplit(keyedCpu) },
    local,
  };
}
