/** The overload section: uncached GETs at five times the pool size in flight, three runs back to back. */
import type { BenchContext, Mode } from './context.js';
import { measureCounting, warm } from './load.js';
import type { CountedSample } from './sample.js';
import { buildOverloadResult, type OverloadResult } from './sections-report.js';

// Passed explicitly, so the section does not depend on the default staying 10.
const POOL = 10;
const IN_FLIGHT = 5 * POOL;
const RUNS = 3;
const DURATION_SECONDS: Record<Mode, number> = { quick: 4, full: 15 };

/**
 * Three runs of the same length, back to back with no pause, of uncached GET /products/:id with
 * 5 × DATABASE_POOL_MAX connections; failed requests are counted, not thrown. A driver whose queue
 * degrades under sustained overload shows as run 3 slower than run 1. A short warm-up comes first:
 * a cold run 1 would flatter the ratio.
 */
export async function runOverload(ctx: BenchContext, options: { databaseUrl: string; productIds: readonly string[] }): Promise<OverloadResult> {
  const durationSeconds = DURATION_SECONDS[ctx.mode];
  const api = await ctx.startApi({ DATABASE_URL: options.databaseUrl, CACHE_ENABLED: 'false', DATABASE_POOL_MAX: String(POOL) });
  const paths = options.productIds.map((id) => `/products/${id}`);
  const path = () => paths[Math.floor(Math.random() * paths.length)] as string;

  try {
    await warm(api.url, paths.slice(0, 500), POOL);
    const runs: CountedSample[] = [];
    for (let run = 1; run <= RUNS; run += 1) {
      const sample = await measureCounting({ url: api.url, connections: IN_FLIGHT, durationSeconds, path });
      ctx.log(`overload run ${run}/${RUNS}: ${Math.round(sample.rps)} req/s, p99 ${sample.p99Ms} ms, ${sample.errors} errors`);
      runs.push(sample);
    }
    return buildOverloadResult(runs, { pool: POOL, inFlight: IN_FLIGHT, durationSeconds });
  } finally {
    // Later sections get the machine to themselves (ctx's cleanup stops it again harmlessly).
    await api.stop();
  }
}
