import autocannon from 'autocannon';
import type { Sample } from './report.js';

export interface LoadOptions {
  readonly url: string;
  readonly connections: number;
  readonly durationSeconds: number;
  /** Path of each request, chosen anew per request (e.g. a random product id). */
  readonly path: () => string;
}

/** One autocannon run; throws when any request failed, so a broken variant never reports numbers. */
export async function measure({ url, connections, durationSeconds, path }: LoadOptions): Promise<Sample> {
  const result = await autocannon({
    url,
    connections,
    duration: durationSeconds,
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: path() }) }],
  });
  const failed = result.errors + result.timeouts + result.non2xx;
  if (failed > 0) {
    throw new Error(`${url}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx of ${result.requests.total}`);
  }
  return { rps: result.requests.average, p50Ms: result.latency.p50, p99Ms: result.latency.p99 };
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
