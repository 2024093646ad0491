/** The stampede section: many concurrent GETs of one cold product id, database loads counted. */
import { Pool } from 'undici';
import type { BenchContext, Mode } from './context.js';
import { buildStampedeResult, counterValue, type StampedeKey, type StampedeResult } from './sections-report.js';
import { percentile } from './stats.js';
import { ADMIN_AUTHORIZATION } from '../test/support/admin-key.js';

const CONCURRENT = 200;
const KEYS: Record<Mode, number> = { quick: 5, full: 20 };
const LOADS = 'product_cache_loads_total';

interface Api {
  readonly url: string;
  /** Keep-alive connections to the API, at least as many as the GETs sent to it at once. */
  readonly pool: Pool;
}

async function loads(api: Api): Promise<number> {
  const response = await fetch(new URL('/metrics', api.url), { headers: ADMIN_AUTHORIZATION });
  if (response.status !== 200) throw new Error(`${api.url}/metrics: ${response.status}`);
  return counterValue(await response.text(), LOADS);
}

/**
 * Opens `count` sockets (the API closes idle ones after 5 s, so this runs right before each burst):
 * `count` GETs dispatched at once each take a connection of their own.
 */
async function connect(api: Api, count: number): Promise<void> {
  await Promise.all(Array.from({ length: count }, () => api.pool.request({ method: 'GET', path: '/healthz' }).then(({ body }) => body.dump())));
  const { connected } = api.pool.stats;
  if (connected < count) throw new Error(`stampede: only ${connected} of ${count} connections open to ${api.url}`);
}

/**
 * Sends `count` GETs of `path` to each API at once, over connections already open, and checks that
 * every answer is a 200 with the same body. Returns each request's latency from the common start.
 */
async function burst(targets: readonly { api: Api; count: number }[], path: string): Promise<number[]> {
  const start = performance.now();
  const answers = await Promise.all(
    targets.flatMap(({ api, count }) =>
      Array.from({ length: count }, async () => {
        const { statusCode, body } = await api.pool.request({ method: 'GET', path });
        const text = await body.text();
        return { statusCode, text, ms: performance.now() - start };
      }),
    ),
  );
  const first = answers[0];
  const odd = answers.find((answer) => answer.statusCode !== 200 || answer.text !== first?.text);
  if (odd) throw new Error(`stampede on ${path}: ${odd.statusCode} ${odd.text.slice(0, 200)} (first: ${first?.statusCode})`);
  return answers.map((answer) => answer.ms);
}

/** The database loads each API reported for one burst of `path` (one count per target), and the burst's latencies. */
async function measureKey(targets: readonly { api: Api; count: number }[], path: string): Promise<{ loads: number[]; latencies: number[] }> {
  await Promise.all(targets.map(({ api, count }) => connect(api, count)));
  const before = await Promise.all(targets.map(({ api }) => loads(api)));
  const latencies = await burst(targets, path);
  const after = await Promise.all(targets.map(({ api }) => loads(api)));
  return { loads: after.map((value, i) => value - (before[i] as number)), latencies };
}

/**
 * For each of K never-read product ids, 200 GETs in flight together against an API caching on
 * Redis under a prefix of its own (every key cold), and the database loads it reports
 * (product_cache_loads_total before and after). Then the same with two API processes sharing the
 * Redis, 100 GETs each, with the loads counted per process.
 */
export async function runStampede(ctx: BenchContext, options: { databaseUrl: string; productIds: readonly string[] }): Promise<StampedeResult> {
  const keys = KEYS[ctx.mode];
  if (options.productIds.length < 2 * keys) throw new Error(`stampede: needs ${2 * keys} product ids, got ${options.productIds.length}`);
  // The last ids of the sample, each read once: under this section's prefix nothing has cached them.
  const ids = options.productIds.slice(-2 * keys);
  const env = { DATABASE_URL: options.databaseUrl, REDIS_URL: ctx.redisUrl, REDIS_PREFIX: `${ctx.redisPrefix}stampede` };
  const services = await Promise.all([ctx.startApi(env), ctx.startApi(env)]);
  const [one, two] = services.map((service) => ({ url: service.url, pool: new Pool(service.url, { connections: CONCURRENT }) })) as [Api, Api];
  try {
    const single: StampedeKey[] = [];
    for (const id of ids.slice(0, keys)) {
      const { loads, latencies } = await measureKey([{ api: one, count: CONCURRENT }], `/products/${id}`);
      single.push({ loads: loads[0] as number, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) });
    }
    ctx.log(`stampede, one process: loads per id ${single.map((key) => key.loads).join(', ')}`);

    const shared: number[][] = [];
    for (const id of ids.slice(keys)) {
      const half = CONCURRENT / 2;
      shared.push((await measureKey([{ api: one, count: half }, { api: two, count: half }], `/products/${id}`)).loads);
    }
    ctx.log(`stampede, two processes: loads per id ${shared.map((loads) => loads.join('+')).join(', ')}`);
    return buildStampedeResult(CONCURRENT, single, shared);
  } finally {
    await Promise.all([one.pool.close(), two.pool.close()]);
    // Later sections get the machine to themselves (ctx's cleanup stops them again harmlessly).
    await Promise.all(services.map((service) => service.stop()));
  }
}
