/** What every benchmark section gets from bench/run.ts: the mode, the services and cleanup. */
import type { SpawnedService } from '../test/support/spawn-service.js';

export type Mode = 'quick' | 'full';

export interface BenchContext {
  readonly mode: Mode;
  /** Redis for cached variants; every key a section writes must start with `redisPrefix`. */
  readonly redisUrl: string;
  readonly redisPrefix: string;
  /**
   * Starts src/main/api.ts as its own process with `env` (DATABASE_URL and the rest are the
   * caller's); its access log is drained unparsed; it is stopped when the run ends.
   */
  startApi(env: Record<string, string>): Promise<SpawnedService>;
  /** Registers a cleanup step; steps run in reverse order when the run ends, failed or not. */
  defer(step: () => Promise<unknown>): void;
  /** Progress for the person watching (stderr); stdout carries only the report. */
  log(message: string): void;
  /**
   * Settings every spawned worker gets on top of the section's own, from BENCH_WORKER_ENV
   * (`KEY=value KEY=value`, separated by spaces since values such as widths hold commas): a before/after of one worker setting on the same build.
   */
  readonly workerEnv: Readonly<Record<string, string>>;
}

/** BENCH_WORKER_ENV parsed: `WORKER_YIELD_DUTY=1 IMAGE_RENDITION_WIDTHS=320,640` → their settings. */
export function parseWorkerEnv(text: string | undefined): Record<string, string> {
  if (text === undefined || text.trim() === '') return {};
  return Object.fromEntries(
    text.trim().split(/\s+/).map((pair) => {
      const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(pair);
      if (!match) throw new Error(`BENCH_WORKER_ENV: expected KEY=value pairs separated by spaces, got ${JSON.stringify(pair)}`);
      return [match[1]!, match[2]!];
    }),
  );
}
