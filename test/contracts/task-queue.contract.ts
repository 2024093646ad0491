import { afterEach, describe, expect, it } from 'vitest';
import {
  retryPolicy,
  withRetryPolicy,
  type DeadLetters,
  type Delivery,
  type ReceivedTask,
  type Settlement,
  type TaskConsumer,
  type TaskHandler,
  type TaskOutcome,
  type TaskPublisher,
} from '../../src/application/index.js';
import { aTaskMessage } from '../support/mothers.js';
import { eventually } from '../support/eventually.js';

/** A queue adapter is all three ports: what the relay, the worker and the operator each use. */
export type TaskQueue = TaskPublisher & TaskConsumer & DeadLetters;

/** A queue under test and how to close it; `close()` may be called twice. */
export interface TaskQueueFixture {
  readonly queue: TaskQueue;
  close(): Promise<void>;
}

/** `retryDelaysMs`: the delays the transport must be able to carry out (its wait queues). */
export type MakeTaskQueue = (options: { retryDelaysMs: number[]; concurrency: number }) => Promise<TaskQueueFixture>;

const DONE: TaskOutcome = { type: 'done' };
const retry = (reason: string): TaskOutcome => ({ type: 'retry', reason });
const DELAYS = [50, 100];
const MAX_ATTEMPTS = DELAYS.length + 1;
/** A handler that records every delivery and answers with `decide`. */
function recorder(decide: (delivery: Delivery) => TaskOutcome = () => DONE) {
  const deliveries: Delivery[] = [];
  const handler: TaskHandler = async (delivery) => {
    deliveries.push(delivery);
    return decide(delivery);
  };
  return { handler, deliveries, of: (id: string) => deliveries.filter((delivery) => delivery.id === id) };
}

const deadIds = async (queue: TaskQueue) => (await queue.list(100)).map((letter) => letter.id);
/** Consumes `handler` under the application's retry policy with `delaysMs`, as the worker does. */
export const consumeUnder = (queue: TaskConsumer, delaysMs: readonly number[], handler: TaskHandler) =>
  queue.consume(withRetryPolicy(retryPolicy(delaysMs), handler));
const consume = (queue: TaskQueue, handler: TaskHandler) => consumeUnder(queue, DELAYS, handler);

/**
 * The task queue ports' documented behaviour, each adapter carrying out the settlements of the
 * application's retry policy (and raw settlements); every queue adapter runs it.
 */
export function taskQueueContract(name: string, makeQueue: MakeTaskQueue): void {
  describe(`TaskQueue contract: ${name}`, () => {
    const fixtures: TaskQueueFixture[] = [];
    const open = async (options: { concurrency?: number } = {}) => {
      const fixture = await makeQueue({ retryDelaysMs: [...DELAYS], concurrency: options.concurrency ?? 2 });
      fixtures.push(fixture);
      return fixture;
    };
    afterEach(async () => {
      for (const fixture of fixtures.splice(0)) await fixture.close();
    });

    /** Publishes a marker and waits for it: with concurrency 1, everything before it is settled. */
    const drain = async (queue: TaskQueue, seen: ReturnType<typeof recorder>) => {
      const marker = aTaskMessage();
      await queue.publish([marker]);
      await eventually(() => expect(seen.of(marker.id)).toHaveLength(1));
    };

    it('delivers a message at attempt 1 with its id, task and request id intact', async () => {
      const { queue } = await open();
      const seen = recorder();
      await consume(queue, seen.handler);
      const withRequest = aTaskMessage();
      const withoutRequest = aTaskMessage({ task: { type: 'object.delete', key: 'images/ab/cd.webp' }, request_id: undefined });
      await queue.publish([withRequest, withoutRequest]);
      await eventually(() => expect(seen.deliveries).toHaveLength(2));
      expect(seen.of(withRequest.id)).toEqual([{ ...withRequest, attempt: 1, maxAttempts: MAX_ATTEMPTS }]);
      expect(seen.of(withoutRequest.id)).toEqual([{ ...withoutRequest, attempt: 1, maxAttempts: MAX_ATTEMPTS }]);
      expect(seen.of(withoutRequest.id)[0]?.request_id).toBeUndefined();
    });

    it('never redelivers nor dead-letters a message handled as done', async () => {
      const { queue } = await open({ concurrency: 1 });
      const seen = recorder();
      await consume(queue, seen.handler);
      const message = aTaskMessage();
      await queue.publish([message]);
      await eventually(() => expect(seen.of(message.id)).toHaveLength(1));
      await drain(queue, seen);
      expect(seen.of(message.id)).toHaveLength(1);
      expect(await deadIds(queue)).toEqual([]);
    });

    it('delivers every message of a large batch', async () => {
      const { queue } = await open();
      const seen = recorder();
      await consume(queue, seen.handler);
      const messages = Array.from({ length: 500 }, () => aTaskMessage());
      await queue.publish(messages);
      await eventually(() => expect(new Set(seen.deliveries.map((d) => d.id)).size).toBe(500));
      expect(new Set(seen.deliveries.map((d) => d.id))).toEqual(new Set(messages.map((m) => m.id)));
    });

    it('accepts an empty batch', async () => {
      const { queue } = await open();
      await expect(queue.publish([])).resolves.toBeUndefined();
    });

    it('never runs more handlers at once than its concurrency', async () => {
      const { queue } = await open({ concurrency: 3 });
      let running = 0;
      let most = 0;
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const finished = new Set<string>();
      await consume(queue, async (delivery) => {
        running++;
        most = Math.max(most, running);
        await gate;
        await new Promise((resolve) => setImmediate(resolve));
        running--;
        finished.add(delivery.id);
        return DONE;
      });
      await queue.publish(Array.from({ length: 12 }, () => aTaskMessage()));
      await eventually(() => expect(running).toBe(3));
      release();
      await eventually(() => expect(finished.size).toBe(12));
      expect(most).toBe(3);
    });

    it('redelivers a retried message with the next attempt', async () => {
      const { queue } = await open();
      const seen = recorder((delivery) => (delivery.attempt === 1 ? retry('not yet') : DONE));
      await consume(queue, seen.handler);
      const message = aTaskMessage();
      await queue.publish([message]);
      await eventually(() => expect(seen.of(message.id)).toHaveLength(2));
      expect(seen.of(message.id)).toEqual([
        { ...message, attempt: 1, maxAttempts: MAX_ATTEMPTS },
        { ...message, attempt: 2, maxAttempts: MAX_ATTEMPTS },
      ]);
    });

    it('delivers a message published as a retry at that attempt, no sooner than its delay, and dead-letters it after the last', async () => {
      const { queue } = await open();
      let arrived = 0;
      const seen = recorder(() => {
        arrived = Date.now();
        return retry('still down');
      });
      await consume(queue, seen.handler);
      const message = aTaskMessage();
      const published = Date.now();
      await queue.publish([{ ...message, retry: { attempt: MAX_ATTEMPTS, delayMs: DELAYS[0]! } }]);
      await eventually(async () => expect(await deadIds(queue)).toEqual([message.id]));
      expect(seen.of(message.id)).toEqual([{ ...message, attempt: MAX_ATTEMPTS, maxAttempts: MAX_ATTEMPTS }]);
      expect(arrived - published).toBeGreaterThanOrEqual(DELAYS[0]!);
      expect(await queue.list(10)).toEqual([expect.objectContaining({ id: message.id, attempts: MAX_ATTEMPTS, reason: 'still down' })]);
    });

    it('dead-letters a message still failing at its last attempt, with the attempts and last reason', async () => {
      const { queue } = await open();
      const seen = recorder((delivery) => retry(`failed attempt ${delivery.attempt}`));
      await consume(queue, seen.handler);
      const message = aTaskMessage();
      const before = Date.now();
      await queue.publish([message]);
      await eventually(async () => expect(await deadIds(queue)).toEqual([message.id]));
      const [letter] = await queue.list(100);
      expect(letter).toMatchObject({ ...message, attempts: MAX_ATTEMPTS, reason: `failed attempt ${MAX_ATTEMPTS}` });
      expect(letter?.dead_at.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(seen.of(message.id).map((d) => d.attempt)).toEqual([1, 2, 3]);
    });

    it('treats a thrown error as a retry with its message', async () => {
      const { queue } = await open();
      const seen = recorder((delivery) => {
        throw new Error(`crashed on attempt ${delivery.attempt}`);
      });
      await consume(queue, seen.handler);
      const message = aTaskMessage();
      await queue.publish([message]);
      await eventually(async () => expect(await deadIds(queue)).toEqual([message.id]));
      expect(await queue.list(100)).toMatchObject([{ id: message.id, reason: `crashed on attempt ${MAX_ATTEMPTS}` }]);
      expect(seen.of(message.id).map((d) => d.attempt)).toEqual([1, 2, 3]);
    });

    it('lists dead letters oldest first, at most `limit`, without removing them', async () => {
      const { queue } = await open();
      await consume(queue, recorder(() => retry('always')).handler);
      const messages = [aTaskMessage(), aTaskMessage(), aTaskMessage()];
      for (const [index, message] of messages.entries()) {
        await queue.publish([message]);
        await eventually(async () => expect(await queue.list(100)).toHaveLength(index + 1));
      }
      const ids = messages.map((m) => m.id);
      expect((await queue.list(2)).map((l) => l.id)).toEqual(ids.slice(0, 2));
      expect(await deadIds(queue)).toEqual(ids);
      expect(await deadIds(queue)).toEqual(ids);
    });

    it('replays dead letters by id and then all, from attempt 1, removing them from the DLQ', async () => {
      const { queue } = await open();
      let failing = true;
      const seen = recorder(() => (failing ? retry('dependency down') : DONE));
      await consume(queue, seen.handler);
      const [first, second] = [aTaskMessage(), aTaskMessage()] as const;
      await queue.publish([first, second]);
      await eventually(async () => expect((await deadIds(queue)).sort()).toEqual([first.id, second.id].sort()));
      failing = false;

      expect(await queue.replay([first.id, 'no-such-task'])).toBe(1);
      await eventually(() => expect(seen.of(first.id)).toHaveLength(MAX_ATTEMPTS + 1));
      expect(seen.of(first.id).at(-1)).toEqual({ ...first, attempt: 1, maxAttempts: MAX_ATTEMPTS });
      expect(await deadIds(queue)).toEqual([second.id]);

      expect(await queue.replay('all')).toBe(1);
      await eventually(() => expect(seen.of(second.id)).toHaveLength(MAX_ATTEMPTS + 1));
      expect(seen.of(second.id).at(-1)).toEqual({ ...second, attempt: 1, maxAttempts: MAX_ATTEMPTS });
      expect(await deadIds(queue)).toEqual([]);
      expect(await queue.replay('all')).toBe(0);
      expect(await queue.replay([])).toBe(0);
    });

    it('stop() waits for the handlers in flight and takes no new deliveries', async () => {
      const { queue } = await open({ concurrency: 1 });
      const started: string[] = [];
      const finished: string[] = [];
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const consumer = await consume(queue, async (delivery) => {
        started.push(delivery.id);
        await gate;
        finished.push(delivery.id);
        return DONE;
      });
      const inFlight = aTaskMessage();
      await queue.publish([inFlight]);
      await eventually(() => expect(started).toEqual([inFlight.id]));

      let stopped = false;
      const stopping = consumer.stop().then(() => (stopped = true));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(stopped).toBe(false);
      release();
      await stopping;
      expect(finished).toEqual([inFlight.id]);

      const later = aTaskMessage();
      await queue.publish([later]);
      const next = recorder();
      await consume(queue, next.handler);
      await eventually(() => expect(next.of(later.id)).toHaveLength(1));
      expect(started).toEqual([inFlight.id]);
      expect(next.of(inFlight.id)).toEqual([]);
    });

    /** Consumes with a raw settle function, recording what it was handed. */
    const settleWith = async (queue: TaskQueue, decide: (task: ReceivedTask) => Settlement | Promise<Settlement>) => {
      const received: ReceivedTask[] = [];
      await queue.consume(async (task) => {
        received.push(task);
        return decide(task);
      });
      return { received, of: (id: string) => received.filter((task) => task.id === id) };
    };

    it('carries out a retry settlement: the message comes back at the attempt asked for', async () => {
      const { queue } = await open();
      const message = aTaskMessage();
      const seen = await settleWith(queue, (task) =>
        task.attempt === 1 ? { type: 'retry', attempt: 7, delayMs: DELAYS[1]!, reason: 'later' } : { type: 'ack' },
      );
      await queue.publish([message]);
      await eventually(() => expect(seen.of(message.id)).toHaveLength(2));
      expect(seen.of(message.id)).toEqual([
        { ...message, attempt: 1 },
        { ...message, attempt: 7 },
      ]);
    });

    it('carries out a dead settlement at once, with the attempts and reason given', async () => {
      const { queue } = await open();
      const message = aTaskMessage();
      await settleWith(queue, () => ({ type: 'dead', attempts: 4, reason: 'not worth retrying' }));
      await queue.publish([message]);
      await eventually(async () => expect(await deadIds(queue)).toEqual([message.id]));
      expect(await queue.list(100)).toMatchObject([{ ...message, attempts: 4, reason: 'not worth retrying' }]);
    });

    it('dead-letters a message whose settle rejects, once: neither lost nor looped', async () => {
      const { queue } = await open({ concurrency: 1 });
      const message = aTaskMessage();
      const seen = await settleWith(queue, (task) => {
        if (task.id === message.id) throw new Error('a bug in the policy');
        return { type: 'ack' };
      });
      await queue.publish([message]);
      await eventually(async () => expect(await deadIds(queue)).toEqual([message.id]));
      const marker = aTaskMessage();
      await queue.publish([marker]);
      await eventually(() => expect(seen.of(marker.id)).toHaveLength(1));
      expect(seen.of(message.id)).toHaveLength(1);
    });

    it('rejects publishing and consuming once closed', async () => {
      const fixture = await open();
      await fixture.close();
      await expect(fixture.queue.publish([aTaskMessage()])).rejects.toThrow(/closed/);
      await expect(consume(fixture.queue, recorder().handler)).rejects.toThrow(/closed/);
    });
  });
}
