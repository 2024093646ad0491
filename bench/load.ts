import autocannon from 'autocannon';
import type { CountedSample, Sample } from './sample.js';
import { runWrk } from './wrk.js';

export interface LoadOptions {
  readonly url: string;
  readonly connections: number;
  readonly durationSeconds: number;
  /**
   * Path of each request, chosen anew per request (e.g. a random product id). wrk runs pick among
   * `PATHS_PER_RUN` paths drawn from it beforehand (fewer when it repeats itself).
   */
  readonly path: () => string;
  /** Sent with every request (an Authorization, say). */
  readonly headers?: Readonly<Record<string, string>>;
}

function run({ url, connections, durationSeconds, path, headers }: LoadOptions) {
  return autocannon({
    url,
    connections,
    duration: durationSeconds,
    ...(headers && { headers: { ...headers } }),
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: path() }) }],
  });
}

/** Paths a wrk run picks among when the paths are drawn from a function. */
export const PATHS_PER_RUN = 10_000;

/** The distinct paths of `count` draws of `path`, in the order first drawn. */
export const drawPaths = (path: () => string, count = PATHS_PER_RUN): string[] => [...new Set(Array.from({ length: count }, path))];

/**
 * One wrk run (a native load generator, so the ratios measure the API rather than the generator's
 * share of the two cores); throws when any request failed, so a broken variant never reports numbers.
 */
export async function measure(options: LoadOptions & { readonly paths?: readonly string[] }): Promise<Sample & { requests: number }> {
  const { url, connections, durationSeconds, headers } = options;
  const result = await runWrk({ url, connections, durationSeconds, headers, paths: options.paths ?? drawPaths(options.path) });
  if (result.non2xx + result.socketErrors > 0 || result.requests === 0) {
    throw new Error(`${url}: ${result.socketErrors} socket errors, ${result.non2xx} non-2xx of ${result.requests}`);
  }
  return { rps: result.rps, p50Ms: result.latencyMs.p50, p99Ms: result.latencyMs.p99, requests: result.requests };
}

/**
 * One autocannon run whose failed requests are counted (autocannon's errors, timeouts included,
 * plus non-2xx answers) rather than thrown: for runs where failing is itself the finding.
 */
export async function measureCounting(options: LoadOptions): Promise<CountedSample> {
  const result = await run(options);
  return { rps: result.requests.average, p50Ms: result.latency.p50, p99Ms: result.latency.p99, errors: result.errors + result.non2xx };
}

/** GETs every path once, `concurrency` at a time, and checks each answered 200. */
export async function warm(url: string, paths: readonly string[], concurrency: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const path = paths[next++] as string;
      const response = await fetch(new URL(path, url));
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`warming ${path}: ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
