/**
 * API throughput while the image worker is busy, over API throughput alone: the cached GET of
 * the GET section, with a real worker (its own process) compressing images on the same machine.
 */
import type { BenchContext } from './context.js';
import { getSettings } from './get.js';
import { workerBusyRedisPrefix } from './image-pipeline.js';
import type { ImagePipeline } from './images.js';
import { measure } from './load.js';
import { medianSample, type Sample } from './sample.js';
import { median, round2 } from './stats.js';
import type { WorkerBusyResult } from './worker-report.js';

const MARGIN_SECONDS = 2;

/** `pipeline` is started by the caller (and shared with the images section) and left running. */
export async function runWorkerBusy(
  ctx: BenchContext,
  catalog: { databaseUrl: string; productIds: readonly string[] },
  startPipeline: () => Promise<ImagePipeline>,
): Promise<WorkerBusyResult> {
  const { connections, durationSeconds, rounds: roundCount } = getSettings(ctx.mode);
  const { databaseUrl, productIds } = catalog;
  const [api, pipeline] = await Promise.all([
    ctx.startApi({ DATABASE_URL: databaseUrl, REDIS_URL: ctx.redisUrl, REDIS_PREFIX: workerBusyRedisPrefix(ctx) }),
    startPipeline(),
  ]);
  const load = { url: api.url, connections, durationSeconds, path: () => `/products/${productIds[Math.floor(Math.random() * productIds.length)]}` };

  // One product through the pipeline first: warms the worker and gives its rate on this machine.
  const before = await pipeline.counts();
  const started = performance.now();
  await pipeline.submit(1);
  const first = await pipeline.settled();
  const imagesPerProduct = first.done + first.failed - before.done - before.failed;
  const imagesPerSecond = imagesPerProduct / ((performance.now() - started) / 1000);
  // Enough work to outlast a run with a margin. The first product's rate includes the pipeline's
  // latency, so it understates the steady rate; the check after each run catches a short batch.
  const batch = Math.max(2, Math.ceil((1.3 * imagesPerSecond * (durationSeconds + MARGIN_SECONDS)) / imagesPerProduct));
  await measure(load); // warms the API (its JIT) and its cache before anything is recorded

  const rounds: { alone: Sample; busy: Sample }[] = [];
  const processed: number[] = [];
  for (let round = 0; round < roundCount; round += 1) {
    const runAlone = () => measure(load);
    const runBusy = async () => {
      await pipeline.submit(batch);
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // the worker has picked up work
      const before = await pipeline.counts();
      const sample = await measure(load);
      const after = await pipeline.counts();
      if (after.pending === 0) throw new Error(`the worker ran out of work during the run (batch ${batch}); the ratio would flatter it`);
      processed.push(after.done + after.failed - before.done - before.failed);
      await pipeline.settled();
      return sample;
    };
    // Alternate which goes first, so neither always meets a machine still settling from the other.
    let alone: Sample;
    let busy: Sample;
    if (round % 2 === 0) {
      alone = await runAlone();
      busy = await runBusy();
    } else {
      busy = await runBusy();
      alone = await runAlone();
    }
    rounds.push({ alone, busy });
    ctx.log(`worker-busy round ${round + 1}/${roundCount}: alone ${Math.round(alone.rps)} req/s, busy ${Math.round(busy.rps)} req/s`);
  }
  await api.stop('SIGTERM');
  const alone = medianSample(rounds.map((round) => round.alone));
  const busy = medianSample(rounds.map((round) => round.busy));
  return { alone, busy, ratio: round2(busy.rps / alone.rps), images_per_busy_run: median(processed), rounds };
}
