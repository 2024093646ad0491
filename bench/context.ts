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
}
