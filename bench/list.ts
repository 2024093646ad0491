/**
 * The list section: GET /products with every filter on a catalog seeded by seedCatalog, uncached
 * (latency, saturation), then cached against uncached on one set of pages. The load comes from wrk.
 */
import postgres from 'postgres';
import type { BenchContext, Mode } from './context.js';
import { medianSplit, startCpuSplit, type CpuSplit } from './cpu-split.js';
import { measure, warm } from './load.js';
import type { Sample } from './sample.js';
import { buildListResult, type ListResult } from './sections-report.js';
import { NAME_TERMS, PRICE_RANGE } from './seed.js';

// The same connection count as the GET section.
const CONNECTIONS = 50;
// The latency target is a query's cost, not queueing: measured with two requests in flight (one
// per core here). autocannon's overallRate paces per second in bursts, which queue like
// saturation does, so a small closed loop measures latency more faithfully.
const LATENCY_CONNECTIONS = 2;
const RUNS: Record<Mode, { rounds: number; durationSeconds: number }> = {
  quick: { rounds: 2, durationSeconds: 3 },
  full: { rounds: 3, durationSeconds: 15 },
};
// Requests fetched and checked before the load; they also warm the API and PostgreSQL.
const CHECKED = 200;
// Pages of the cached/uncached comparison: every one warmed in Redis first, then asked at random.
const CACHED_PAGES = 500;

export interface ListQuery {
  readonly userId: string;
  readonly priceMin: number;
  readonly priceMax: number;
  readonly term: string;
}

/** A random user, a price window of 100 to 400 inside PRICE_RANGE, and one of NAME_TERMS. */
export function randomListQuery(userIds: readonly string[], random: () => number = Math.random): ListQuery {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const width = 100 + Math.floor(random() * 301);
  const priceMin = PRICE_RANGE.min + Math.floor(random() * (PRICE_RANGE.max - PRICE_RANGE.min - width));
  return { userId: pick(userIds), priceMin, priceMax: priceMin + width, term: pick(NAME_TERMS) };
}

export const listPath = (query: ListQuery): string =>
  `/products?user_id=${query.userId}&price_min=${query.priceMin}&price_max=${query.priceMax}&product_name=${encodeURIComponent(query.term)}`;

interface ListedProduct {
  readonly user_id: number | string;
  readonly product_name: string;
  readonly product_price: number;
}

/** GETs `query` and checks the answer: 200, and every item satisfies every filter. Returns the item count. */
async function checkedPage(url: string, query: ListQuery): Promise<number> {
  const response = await fetch(new URL(listPath(query), url));
  const body = (await response.json()) as ListedProduct[];
  if (response.status !== 200 || !Array.isArray(body)) throw new Error(`${listPath(query)}: ${response.status} ${JSON.stringify(body)}`);
  const wrong = body.find(
    (item) =>
      String(item.user_id) !== query.userId ||
      item.product_price < query.priceMin ||
      item.product_price > query.priceMax ||
      !item.product_name.toLowerCase().includes(query.term),
  );
  if (wrong) throw new Error(`${listPath(query)} answered a product outside the filters: ${JSON.stringify(wrong)}`);
  return body.length;
}

/**
 * GET /products with user_id, price_min, price_max and product_name, each request with a random
 * user, window and term, against an API with the cache off. Pages are sampled and checked first,
 * and the run stops if they are empty: seed about 1,000 products per user.
 */
export async function runList(ctx: BenchContext, options: { databaseUrl: string; userIds: readonly string[] }): Promise<ListResult> {
  const { rounds, durationSeconds } = RUNS[ctx.mode];
  const products = await countProducts(options.databaseUrl);
  const [api, cachedApi] = await Promise.all([
    ctx.startApi({ DATABASE_URL: options.databaseUrl, CACHE_ENABLED: 'false' }),
    ctx.startApi({ DATABASE_URL: options.databaseUrl, REDIS_URL: ctx.redisUrl, REDIS_PREFIX: `${ctx.redisPrefix}list:` }),
  ]);

  try {
    const counts: number[] = [];
    const queries = Array.from({ length: CHECKED }, () => randomListQuery(options.userIds));
    await Promise.all(Array.from({ length: 10 }, async () => {
      for (let query = queries.pop(); query; query = queries.pop()) counts.push(await checkedPage(api.url, query));
    }));
    const itemsPerPageMean = counts.reduce((sum, count) => sum + count, 0) / counts.length;
    const empty = counts.filter((count) => count === 0).length;
    ctx.log(`list: ${itemsPerPageMean.toFixed(1)} items per page on average, ${empty} of ${counts.length} pages empty`);
    if (itemsPerPageMean < 1) throw new Error(`list: pages hold ${itemsPerPageMean} items on average; seed more products per user`);

    const pages = [...new Set(Array.from({ length: CACHED_PAGES }, () => listPath(randomListQuery(options.userIds))))];
    await warm(cachedApi.url, pages, 10);
    const variants = { uncached: { url: api.url, pid: api.child.pid as number }, cached: { url: cachedApi.url, pid: cachedApi.child.pid as number } };
    const compared: Record<keyof typeof variants, { samples: Sample[]; cpu: CpuSplit[] }> = { uncached: { samples: [], cpu: [] }, cached: { samples: [], cpu: [] } };

    const light: Sample[] = [];
    const saturated: Sample[] = [];
    const saturatedCpu: CpuSplit[] = [];
    const path = () => listPath(randomListQuery(options.userIds));
    for (let round = 0; round < rounds; round += 1) {
      light.push(await measure({ url: api.url, connections: LATENCY_CONNECTIONS, durationSeconds, path }));
      const split = await startCpuSplit(variants.uncached.pid);
      const sample = await measure({ url: api.url, connections: CONNECTIONS, durationSeconds, path });
      saturated.push(sample);
      saturatedCpu.push(await split(sample.requests));
      ctx.log(
        `list round ${round + 1}/${rounds}: ${LATENCY_CONNECTIONS} in flight p99 ${light.at(-1)?.p99Ms} ms; ` +
          `saturated ${Math.round(sample.rps)} req/s, p99 ${sample.p99Ms} ms`,
      );
      // The order rotates each round, so neither variant always runs first.
      const order = round % 2 === 0 ? (['uncached', 'cached'] as const) : (['cached', 'uncached'] as const);
      for (const variant of order) {
        const variantSplit = await startCpuSplit(variants[variant].pid);
        const run = await measure({ url: variants[variant].url, connections: CONNECTIONS, durationSeconds, path, paths: pages });
        compared[variant].samples.push(run);
        compared[variant].cpu.push(await variantSplit(run.requests));
        ctx.log(`list round ${round + 1}/${rounds} ${variant} (${pages.length} pages): ${Math.round(run.rps)} req/s`);
      }
    }
    return buildListResult(light, saturated, {
      products,
      connections: LATENCY_CONNECTIONS,
      saturatedConnections: CONNECTIONS,
      durationSeconds,
      itemsPerPageMean,
      saturatedCpu: medianSplit(saturatedCpu),
      cached: {
        pages: pages.length,
        uncached: compared.uncached.samples,
        cached: compared.cached.samples,
        cpu: { uncached: medianSplit(compared.uncached.cpu), cached: medianSplit(compared.cached.cpu) },
      },
    });
  } finally {
    // Later sections get the machine to themselves (ctx's cleanup stops them again harmlessly).
    await Promise.all([api.stop(), cachedApi.stop()]);
  }
}

async function countProducts(databaseUrl: string): Promise<number> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => undefined });
  try {
    const [row] = await sql<{ count: number }[]>`select count(*)::int as count from products`;
    return row?.count ?? 0;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
