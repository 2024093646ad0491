import autocannon from 'autocannon';
import type { CountedSample, Sample } from './sample.js';

export interface LoadOptions {
  readonly url: string;
  readonly connections: number;
  readonly durationSeconds: number;
  /** Path of each request, chosen anew per request (e.g. a random product id). */
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

/** One autocannon run; throws when any request failed, so a broken variant never reports numbers. */
export async function measure(options: LoadOptions): Promise<Sample> {
  const result = await run(options);
  const failed = result.errors + result.timeouts + result.non2xx;
  if (failed > 0) {
    throw new Error(`${options.url}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx of ${result.requests.total}`);
  }
  return { rps: result.requests.average, p50Ms: result.latency.p50, p99Ms: result.latency.p99 };
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
