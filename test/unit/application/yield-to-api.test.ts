import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InMemoryApiLoad } from '../../../src/adapters/memory/index.js';
import { MAX_YIELD_PAUSE_MS, reportApiLoad, yieldToApi, type ApiLoadProbe } from '../../../src/application/index.js';

const HOST = 'node-a';
const POLL = 250;

/** A logger that keeps each line's level and message. */
function recordingLogger() {
  const lines: { level: string; msg: string }[] = [];
  const at = (level: string) => (_fields: object, msg?: string) => void lines.push({ level, msg: msg ?? '' });
  return { lines, logger: { info: at('info'), warn: at('warn') } };
}

/** A job that takes `ms` of (fake) time and records when it started and ended. */
function timedJob(ms: number, log: { start: number; end: number }[]) {
  return async () => {
    const start = Date.now();
    await new Promise((resolve) => setTimeout(resolve, ms));
    log.push({ start, end: Date.now() });
    return ms;
  };
}

/** A started gate whose host is marked saturated for `forMs`, once its first poll has heard it. */
async function saturatedGate(duty: number, forMs: number) {
  const load = new InMemoryApiLoad();
  const log = recordingLogger();
  const gate = yieldToApi({ probe: load, logger: log.logger }, { host: HOST, duty, pollMs: POLL });
  gate.start();
  await load.markSaturated(HOST, forMs);
  await vi.advanceTimersByTimeAsync(POLL);
  return { gate, load, log };
}

beforeEach(() => void vi.useFakeTimers({ now: 1_000_000 }));
afterEach(() => void vi.useRealTimers());

describe('yieldToApi', () => {
  it('refuses a duty outside (0, 1)', () => {
    const probe: ApiLoadProbe = { isSaturated: async () => false };
    const { logger } = recordingLogger();
    for (const duty of [0, 1, -0.5, 1.5, Number.NaN]) expect(() => yieldToApi({ probe, logger }, { host: HOST, duty })).toThrow(RangeError);
  });

  it('runs every job at once while the API is not saturated', async () => {
    const load = new InMemoryApiLoad();
    const { logger } = recordingLogger();
    const gate = yieldToApi({ probe: load, logger }, { host: HOST, duty: 0.1, pollMs: POLL });
    gate.start();
    const runs: { start: number; end: number }[] = [];
    const all = Promise.all([1, 2, 3].map(() => gate.run(timedJob(100, runs))));
    await vi.advanceTimersByTimeAsync(100);
    await all;
    expect(runs.map((run) => run.start)).toEqual([1_000_000, 1_000_000, 1_000_000]);
    expect(await gate.metrics()).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'worker_yielding', value: 0 })]));
    gate.stop();
  });

  it('while the API is saturated, runs one job at a time and works `duty` of the time, then all at once when it has room', async () => {
    const { gate, log } = await saturatedGate(0.2, 10_000);
    expect(log.lines.at(-1)?.msg).toMatch(/saturated: the worker yields/);

    const runs: { start: number; end: number }[] = [];
    const jobs = [1, 2, 3].map(() => gate.run(timedJob(100, runs)));
    // 100 ms of work, then 400 ms of pause (duty 0.2), one job at a time.
    await vi.advanceTimersByTimeAsync(1_300);
    expect(runs).toHaveLength(3);
    const began = runs[0]!.start;
    expect(runs.map((run) => run.start - began)).toEqual([0, 500, 1_000]);

    // Two more wait their turn; once the mark expires, both go together.
    const later = [1, 2].map(() => gate.run(timedJob(100, runs)));
    await vi.advanceTimersByTimeAsync(100);
    expect(runs).toHaveLength(3); // the first of them waits out the pause after the third job
    const metrics = await gate.metrics();
    expect(metrics).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'worker_yielding', value: 1 })]));
    await vi.advanceTimersByTimeAsync(10_000);
    await Promise.all([...jobs, ...later]);
    expect(log.lines.at(-1)?.msg).toMatch(/room again: the worker runs at full speed/);
    const afterRoom = (await gate.metrics()).find((sample) => sample.name === 'worker_yielding_seconds_total');
    expect(afterRoom?.value).toBeGreaterThan(9);
    const waited = (await gate.metrics()).find((sample) => sample.name === 'worker_yield_wait_seconds_total');
    expect(waited?.value).toBeGreaterThan(1);
    gate.stop();
  });

  it('lets every waiting job go when saturation ends, without waiting out the pause', async () => {
    const { gate } = await saturatedGate(0.01, 600);
    const runs: { start: number; end: number }[] = [];
    const jobs = [1, 2, 3].map(() => gate.run(timedJob(100, runs)));
    // The first job's 100 ms would buy a 9.9 s pause; the mark expires long before.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toHaveLength(3);
    expect(runs[2]!.start - runs[0]!.start).toBeLessThan(1_000);
    await Promise.all(jobs);
    gate.stop();
  });

  it('rests at most MAX_YIELD_PAUSE_MS after a long job', async () => {
    const { gate } = await saturatedGate(0.1, 120_000);
    const runs: { start: number; end: number }[] = [];
    const jobs = [gate.run(timedJob(5_000, runs)), gate.run(timedJob(10, runs))];
    await vi.advanceTimersByTimeAsync(5_000 + MAX_YIELD_PAUSE_MS + 10);
    await Promise.all(jobs);
    expect(runs[1]!.start - runs[0]!.end).toBe(MAX_YIELD_PAUSE_MS); // not the 45 s that duty 0.1 would give
    gate.stop();
  });

  it('runs at full speed when the probe fails, warning once', async () => {
    const probe: ApiLoadProbe = {
      isSaturated: async () => {
        throw new Error('redis down');
      },
    };
    const log = recordingLogger();
    const gate = yieldToApi({ probe, logger: log.logger }, { host: HOST, duty: 0.1, pollMs: POLL });
    gate.start();
    await vi.advanceTimersByTimeAsync(5 * POLL);
    expect(log.lines.filter((line) => line.level === 'warn')).toHaveLength(1);
    const runs: { start: number; end: number }[] = [];
    await Promise.all([gate.run(timedJob(10, runs)), gate.run(timedJob(10, runs)), vi.advanceTimersByTimeAsync(10)]);
    expect(runs[0]!.start).toBe(runs[1]!.start);
    gate.stop();
  });

  it('reports nothing and never waits before start or after stop, and stop lets waiting jobs go', async () => {
    const load = new InMemoryApiLoad();
    await load.markSaturated(HOST, 60_000);
    const { logger } = recordingLogger();
    const gate = yieldToApi({ probe: load, logger }, { host: HOST, duty: 0.1, pollMs: POLL });
    expect(await gate.metrics()).toEqual([]);
    gate.start();
    gate.start(); // a second start changes nothing
    await vi.advanceTimersByTimeAsync(POLL);
    const runs: { start: number; end: number }[] = [];
    const jobs = [1, 2].map(() => gate.run(timedJob(100, runs)));
    await vi.advanceTimersByTimeAsync(150);
    expect(runs).toHaveLength(1);
    gate.stop();
    await vi.advanceTimersByTimeAsync(100);
    await Promise.all(jobs);
    expect(runs).toHaveLength(2);
    expect(await gate.metrics()).toEqual([]);
    // Stopped, it asks no more: a fresh mark changes nothing.
    await vi.advanceTimersByTimeAsync(10 * POLL);
    const start = Date.now();
    await Promise.all([gate.run(timedJob(10, runs)), gate.run(timedJob(10, runs)), vi.advanceTimersByTimeAsync(10)]);
    expect(runs.slice(-2).map((run) => run.start)).toEqual([start, start]);
  });

  it('ignores an answer that arrives after stop', async () => {
    let answer: (value: boolean) => void = () => undefined;
    const probe: ApiLoadProbe = { isSaturated: () => new Promise((resolve) => (answer = resolve)) };
    const { logger, lines } = recordingLogger();
    const gate = yieldToApi({ probe, logger }, { host: HOST, duty: 0.1, pollMs: POLL });
    gate.start();
    gate.stop();
    answer(true);
    await vi.advanceTimersByTimeAsync(POLL);
    expect(lines).toEqual([]);
    const runs: { start: number; end: number }[] = [];
    await Promise.all([gate.run(timedJob(10, runs)), gate.run(timedJob(10, runs)), vi.advanceTimersByTimeAsync(10)]);
    expect(runs[0]!.start).toBe(runs[1]!.start);
  });

  it('a job that fails still hands the turn on', async () => {
    const { gate } = await saturatedGate(0.5, 60_000);
    const failing = gate.run(async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      throw new Error('encoder failed');
    });
    const outcome = expect(failing).rejects.toThrow('encoder failed');
    const runs: { start: number; end: number }[] = [];
    const next = gate.run(timedJob(10, runs));
    await vi.advanceTimersByTimeAsync(200);
    await outcome;
    await next;
    expect(runs).toHaveLength(1);
    gate.stop();
  });
});

describe('reportApiLoad', () => {
  it('marks the host saturated while the event loop is at or above the threshold, for a few intervals', async () => {
    const load = new InMemoryApiLoad();
    // The call at start only begins the first interval.
    const readings = [0, 0.5, 0.95, 0.8, 0.2];
    const meter = vi.fn(() => readings.shift() ?? 0);
    const { logger } = recordingLogger();
    const reporting = reportApiLoad({ reports: load, meter, logger }, { host: HOST, intervalMs: 100, threshold: 0.8 });
    await vi.advanceTimersByTimeAsync(100); // 0.5: nothing
    expect(await load.isSaturated(HOST)).toBe(false);
    await vi.advanceTimersByTimeAsync(100); // 0.95: marked
    expect(await load.isSaturated(HOST)).toBe(true);
    await vi.advanceTimersByTimeAsync(200); // 0.8 marks again, 0.2 does not
    expect(await load.isSaturated(HOST)).toBe(true);
    await vi.advanceTimersByTimeAsync(400); // the last mark (4 intervals) has expired
    expect(await load.isSaturated(HOST)).toBe(false);
    expect(await load.isSaturated('node-b')).toBe(false);
    reporting.stop();
    const calls = meter.mock.calls.length;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(meter.mock.calls.length).toBe(calls);
  });

  it('logs a failing mark once, and again only after a mark got through', async () => {
    let fail = true;
    const reports = {
      markSaturated: async () => {
        if (fail) throw new Error('redis down');
      },
    };
    const log = recordingLogger();
    const reporting = reportApiLoad({ reports, meter: () => 1, logger: log.logger }, { host: HOST });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(log.lines).toEqual([expect.objectContaining({ level: 'warn' })]);
    fail = false;
    await vi.advanceTimersByTimeAsync(250);
    fail = true;
    await vi.advanceTimersByTimeAsync(500);
    expect(log.lines).toHaveLength(2);
    reporting.stop();
  });
});
