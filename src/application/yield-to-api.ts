import type { ApiLoadProbe } from './ports/api-load.js';
import type { Logger } from './ports/logger.js';
import type { MetricSample, MetricsSource } from './ports/metrics.js';

export interface YieldToApiOptions {
  /** The host id this worker shares with the API processes it yields to (HOST_ID). */
  readonly host: string;
  /**
   * The share of the time the worker works while an API on its host is saturated
   * (WORKER_YIELD_DUTY), above 0 and below 1: after a job of t ms the next waits t·(1 − duty)/duty,
   * at most MAX_YIELD_PAUSE_MS.
   */
  readonly duty: number;
  /** How often the probe is asked (default 250 ms). */
  readonly pollMs?: number;
  readonly now?: () => number;
}

/** Where a worker's CPU work waits its turn while an API on its host is saturated. */
export interface YieldGate extends MetricsSource {
  /** Runs `work` at once; while the API is saturated, one job at a time with the duty's pauses between. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Starts asking the probe; until then (and after `stop`) every job runs at once. */
  start(): void;
  /** Stops asking and lets every waiting job go. */
  stop(): void;
}

const DEFAULT_POLL_MS = 250;
/**
 * The longest rest after one job: a 5 s compression of a 50 MP source at duty 0.1 would otherwise
 * buy 45 s, and each prefetched message waits for every job ahead of it (RabbitMQ cancels a
 * consumer that holds a message unacked past its consumer timeout, 30 min by default).
 */
export const MAX_YIELD_PAUSE_MS = 10_000;

/**
 * The worker's side of giving way to the API: a CPU priority (nice) ranks threads only within
 * one scheduling group, and the database and broker work a job causes runs at their priority, not
 * the worker's. So while an API process on the same host says its event loop is saturated, the
 * worker's CPU work (compressions, webhook deliveries) runs one job at a time and pauses between
 * jobs, working `duty` of the time: progress slows but never stops. Jobs already running finish
 * as they are; when the API is no longer saturated every waiting job goes at once. A probe that
 * fails counts as not saturated: the worker then runs at full speed, as it would without the gate.
 */
export function yieldToApi(deps: { probe: ApiLoadProbe; logger: Pick<Logger, 'info' | 'warn'> }, options: YieldToApiOptions): YieldGate {
  if (!(options.duty > 0 && options.duty < 1)) throw new RangeError(`duty must be above 0 and below 1, got ${options.duty}`);
  const now = options.now ?? Date.now;
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const pauseFactor = (1 - options.duty) / options.duty;
  let started = false;
  let saturated = false;
  let probeFailing = false;
  let poller: ReturnType<typeof setTimeout> | undefined;
  let pauseTimer: ReturnType<typeof setTimeout> | undefined;
  // While saturated: whether a job holds the single turn, and when the next may take it.
  let turnHeld = false;
  let nextTurnAt = 0;
  // Resolved with whether the job was given the (single) turn, or let go freely.
  const waiters: ((holdsTurn: boolean) => void)[] = [];
  let waitedMs = 0;
  let saturatedMs = 0;
  let saturatedSince = 0;

  const pump = () => {
    if (!saturated) {
      for (const waiter of waiters.splice(0)) waiter(false);
      return;
    }
    if (turnHeld || waiters.length === 0) return;
    const pause = nextTurnAt - now();
    if (pause > 0) {
      pauseTimer ??= setTimeout(() => {
        pauseTimer = undefined;
        pump();
      }, pause);
      return;
    }
    turnHeld = true;
    waiters.shift()!(true);
  };

  const setSaturated = (value: boolean) => {
    if (value === saturated) return;
    saturated = value;
    if (value) {
      saturatedSince = now();
      deps.logger.info({ host: options.host, duty: options.duty }, 'the API on this host is saturated: the worker yields');
    } else {
      saturatedMs += now() - saturatedSince;
      clearTimeout(pauseTimer);
      pauseTimer = undefined;
      nextTurnAt = 0;
      deps.logger.info({ host: options.host }, 'the API on this host has room again: the worker runs at full speed');
    }
    pump();
  };

  const poll = async () => {
    try {
      const value = await deps.probe.isSaturated(options.host);
      if (!started) return; // stopped while asking
      setSaturated(value);
      probeFailing = false;
    } catch (error) {
      if (!probeFailing) deps.logger.warn({ err: error }, 'cannot tell whether the API is saturated: the worker runs at full speed');
      probeFailing = true;
      setSaturated(false);
    }
    if (started) schedule();
  };
  const schedule = () => {
    poller = setTimeout(() => void poll(), pollMs);
    poller.unref?.();
  };

  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      if (!saturated && waiters.length === 0) return work();
      const queuedAt = now();
      const holdsTurn = await new Promise<boolean>((resolve) => {
        waiters.push(resolve);
        pump();
      });
      waitedMs += now() - queuedAt;
      if (!holdsTurn) return work();
      const began = now();
      try {
        return await work();
      } finally {
        const ended = now();
        nextTurnAt = ended + Math.min(MAX_YIELD_PAUSE_MS, (ended - began) * pauseFactor);
        turnHeld = false;
        pump();
      }
    },
    start() {
      if (started) return;
      started = true;
      void poll();
    },
    stop() {
      started = false;
      clearTimeout(poller);
      setSaturated(false);
    },
    metrics(): MetricSample[] {
      if (!started) return [];
      const yieldingMs = saturatedMs + (saturated ? now() - saturatedSince : 0);
      return [
        { name: 'worker_yielding', help: 'Whether an API on this host reports saturation, so the worker paces its CPU work (1) or not (0).', type: 'gauge', value: saturated ? 1 : 0 },
        { name: 'worker_yielding_seconds_total', help: 'Time this worker spent pacing itself for a saturated API on its host.', type: 'counter', value: yieldingMs / 1000 },
        { name: 'worker_yield_wait_seconds_total', help: 'Time jobs waited for their turn while the worker yielded, summed over jobs.', type: 'counter', value: waitedMs / 1000 },
      ];
    },
  };
}
