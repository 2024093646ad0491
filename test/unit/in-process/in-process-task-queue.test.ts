import { describe, expect, it } from 'vitest';
import { InProcessTaskQueue, type RetryScheduler } from '../../../src/adapters/in-process/index.js';
import { retryPolicy, withRetryPolicy, type Delivery, type TaskHandler } from '../../../src/application/index.js';
import { taskQueueContract } from '../../contracts/task-queue.contract.js';
import { eventually } from '../../support/eventually.js';
import { aTaskMessage } from '../../support/mothers.js';

// The transport needs no list of delays: it schedules whatever delay a settlement asks for.
taskQueueContract('InProcessTaskQueue', async ({ concurrency }) => {
  const queue = new InProcessTaskQueue({ concurrency });
  return { queue, close: () => queue.close() };
});

const withDefaultPolicy = (handler: TaskHandler, logger?: Parameters<typeof withRetryPolicy>[2]) =>
  withRetryPolicy(retryPolicy(), handler, logger);

/** A scheduler the test fires by hand, recording each requested delay. */
function manualScheduler() {
  const pending: Array<{ run: () => void; delayMs: number; cancelled: boolean }> = [];
  const schedule: RetryScheduler = (run, delayMs) => {
    const timer = { run, delayMs, cancelled: false };
    pending.push(timer);
    return () => void (timer.cancelled = true);
  };
  const fireAll = () => {
    for (const timer of pending.splice(0)) if (!timer.cancelled) timer.run();
  };
  return { schedule, pending, fireAll };
}

const recordingLogger = () => {
  const lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> = [];
  const at = (level: string) => (fields: Record<string, unknown>, message: string) => void lines.push({ level, message, fields });
  return { logger: { info: at('info'), warn: at('warn'), error: at('error') }, lines };
};

describe('InProcessTaskQueue', () => {
  it('reports its own depths under the broker queue names: ready, waiting a retry, dead; and its consumers', async () => {
    const clock = manualScheduler();
    const queue = new InProcessTaskQueue({ schedule: clock.schedule, concurrency: 1 });
    const figures = () => Object.fromEntries(queue.metrics().map((sample) => [`${sample.name}{${sample.labels?.queue}}`, sample.value]));
    expect(figures()).toMatchObject({ 'task_queue_messages{work}': 0, 'task_queue_consumers{work}': 0 });
    await queue.publish([aTaskMessage({ id: 'a' }), aTaskMessage({ id: 'b' }), aTaskMessage({ id: 'c' })]);
    expect(figures()).toMatchObject({ 'task_queue_messages{work}': 3 });
    const seen: string[] = [];
    const consumer = await queue.consume(async (task) => {
      seen.push(task.id);
      return task.id === 'a' ? { type: 'retry', attempt: 2, delayMs: 1000, reason: 'busy' } : { type: 'dead', attempts: 1, reason: 'bad' };
    });
    await eventually(() => expect(seen).toHaveLength(3));
    await eventually(() =>
      expect(figures()).toEqual({
        'task_queue_messages{work}': 0,
        'task_queue_messages{retry}': 1,
        'task_queue_messages{dead}': 2,
        'task_queue_consumers{work}': 1,
        'task_queue_consumers{retry}': 0,
        'task_queue_consumers{dead}': 0,
      }),
    );
    await consumer.stop();
    expect(figures()).toMatchObject({ 'task_queue_consumers{work}': 0 });
    await queue.close();
  });

  it('waits the default policy\'s backoff before each retry, then dead-letters at the stamped time', async () => {
    const clock = manualScheduler();
    const now = new Date('2030-01-02T03:04:05Z');
    const { logger, lines } = recordingLogger();
    const queue = new InProcessTaskQueue({ schedule: clock.schedule, now: () => now });
    const attempts: number[] = [];
    await queue.consume(
      withDefaultPolicy(async (delivery) => {
        attempts.push(delivery.attempt);
        return { type: 'retry', reason: 'still down' };
      }, logger),
    );
    const message = aTaskMessage();
    await queue.publish([message]);
    const delays: number[] = [];
    await eventually(async () => {
      delays.push(...clock.pending.map((timer) => timer.delayMs));
      clock.fireAll();
      expect(await queue.list(100)).toHaveLength(1);
    });
    expect(delays).toEqual([1_000, 5_000, 30_000, 120_000]);
    expect(attempts).toEqual([1, 2, 3, 4, 5]);
    expect(await queue.list(100)).toEqual([{ ...message, attempts: 5, reason: 'still down', dead_at: now }]);
    expect(lines.map((line) => [line.level, line.message])).toContainEqual(['error', 'task dead-lettered after its last attempt']);
    expect(lines.find((line) => line.level === 'warn')?.fields).toMatchObject({ task_id: message.id, attempt: 1, delay_ms: 1_000 });
    await queue.close();
  });

  it('drops pending retries on close, with a warning, and schedules none for handlers finishing after it', async () => {
    const clock = manualScheduler();
    const { logger, lines } = recordingLogger();
    const queue = new InProcessTaskQueue({ schedule: clock.schedule, concurrency: 1, logger });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const seen: Delivery[] = [];
    await queue.consume(
      withDefaultPolicy(async (delivery) => {
        seen.push(delivery);
        if (seen.length === 2) await gate;
        return { type: 'retry', reason: 'later' };
      }),
    );
    await queue.publish([aTaskMessage(), aTaskMessage(), aTaskMessage()]);
    await eventually(() => expect(seen).toHaveLength(2));
    const closing = queue.close();
    release();
    await closing;
    expect(clock.pending).toHaveLength(1);
    expect(clock.pending[0]?.cancelled).toBe(true);
    expect(lines).toContainEqual({
      level: 'warn',
      message: 'in-process task queue closed with tasks pending',
      fields: { dropped: 2 },
    });
    await expect(queue.replay('all')).rejects.toThrow(/closed/);
  });

  it('shares messages between consumers, each within its concurrency', async () => {
    const queue = new InProcessTaskQueue({ concurrency: 1 });
    const byConsumer: string[][] = [[], []];
    for (const seen of byConsumer) {
      await queue.consume(async (task) => {
        seen.push(task.id);
        await new Promise((resolve) => setImmediate(resolve));
        return { type: 'ack' };
      });
    }
    await queue.publish(Array.from({ length: 6 }, () => aTaskMessage()));
    await eventually(() => expect(byConsumer.flat()).toHaveLength(6));
    expect(byConsumer.every((ids) => ids.length > 0)).toBe(true);
    await queue.close();
  });

  it('uses real timers by default, and stopping one consumer twice is harmless', async () => {
    const queue = new InProcessTaskQueue();
    const attempts: number[] = [];
    const consumer = await queue.consume(
      withRetryPolicy(retryPolicy([1]), async (delivery) => {
        attempts.push(delivery.attempt);
        throw 42;
      }),
    );
    await queue.publish([aTaskMessage()]);
    await eventually(async () => expect(await queue.list(100)).toMatchObject([{ reason: '42', attempts: 2 }]));
    expect(attempts).toEqual([1, 2]);
    await consumer.stop();
    await consumer.stop();
    expect(await queue.list(0)).toEqual([]);
    await queue.close();
  });

  it('keeps at most maxDeadLetters, dropping the oldest with a warning', async () => {
    const { logger, lines } = recordingLogger();
    const queue = new InProcessTaskQueue({ maxDeadLetters: 2, logger });
    await queue.consume(async () => ({ type: 'dead', attempts: 1, reason: 'no' }));
    const messages = [aTaskMessage(), aTaskMessage(), aTaskMessage()];
    for (const [index, message] of messages.entries()) {
      await queue.publish([message]);
      await eventually(async () => expect(await queue.list(10)).toHaveLength(Math.min(index + 1, 2)));
    }
    await eventually(async () => expect((await queue.list(10)).map((letter) => letter.id)).toEqual([messages[1]!.id, messages[2]!.id]));
    expect(lines).toContainEqual({ level: 'warn', message: 'in-process dead letters full: the oldest was dropped', fields: { task_id: messages[0]!.id, kept: 2 } });
    await queue.close();
  });

  it('refuses a concurrency below 1', () => {
    expect(() => new InProcessTaskQueue({ concurrency: 0 })).toThrow(RangeError);
  });
});
