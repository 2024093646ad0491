import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Outbox, Task, TaskMessage, WriteContext } from '../../src/application/index.js';
import { drain, gate } from './given.js';
import { eventually } from '../support/eventually.js';

/** What an adapter hands the outbox suite. */
export interface OutboxFixture {
  readonly outbox: Outbox;
  /** Commits one write that queues `tasks`. */
  write(tasks: readonly Task[], context?: WriteContext): Promise<void>;
  /** A write that queues `tasks` and then fails, so nothing of it stays. */
  failedWrite(tasks: readonly Task[]): Promise<void>;
  /** Any read of the same store, as a `publish` that consults the database would make. */
  read(): Promise<unknown>;
  close(): Promise<void>;
}

const deleteTask = (key: string): Task => ({ type: 'object.delete', key });
const tasks = (prefix: string, count: number): Task[] => Array.from({ length: count }, (_, i) => deleteTask(`${prefix}/${i}`));
const keysOf = (messages: readonly TaskMessage[]) => messages.map((message) => (message.task.type === 'object.delete' ? message.task.key : '?'));
const ascending = (messages: readonly TaskMessage[]) => messages.every((message, i) => i === 0 || Number(message.id) > Number(messages[i - 1]!.id));

/** The Outbox port's documented behaviour; the fake and every real adapter run it. */
export function outboxContract(name: string, make: () => Promise<OutboxFixture>): void {
  describe(`Outbox contract: ${name}`, () => {
    let fixture: OutboxFixture;
    beforeEach(async () => {
      fixture = await make();
      // The store may hold messages from earlier tests of the file.
      await drain(fixture.outbox);
    });
    afterEach(async () => {
      await fixture.close();
    });

    describe('relay', () => {
      it('publishes the messages in the order they were written, with their request ids, then forgets them', async () => {
        await fixture.write(tasks('a', 2), { requestId: 'req-a' });
        await fixture.write(tasks('b', 1));
        const published: TaskMessage[][] = [];
        expect(await fixture.outbox.relay(10, async (messages) => void published.push([...messages]))).toBe(3);
        expect(published).toHaveLength(1);
        const [batch] = published;
        expect(keysOf(batch!)).toEqual(['a/0', 'a/1', 'b/0']);
        expect(batch!.map((message) => message.request_id)).toEqual(['req-a', 'req-a', undefined]);
        expect(new Set(batch!.map((message) => message.id)).size).toBe(3);
        expect(ascending(batch!)).toBe(true);
        expect(await fixture.outbox.relay(10, () => Promise.reject(new Error('nothing should be published')))).toBe(0);
      });

      it('carries the write\'s traceparent beside each task, and the task as it was written', async () => {
        const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
        await fixture.write(tasks('t', 2), { requestId: 'req-t', traceparent });
        await fixture.write(tasks('u', 1));
        const published: TaskMessage[] = [];
        await fixture.outbox.relay(10, async (messages) => void published.push(...messages));
        expect(published.map((message) => message.traceparent)).toEqual([traceparent, traceparent, undefined]);
        expect(published.map((message) => message.task)).toEqual([...tasks('t', 2), ...tasks('u', 1)]);
        expect(published.every((message) => !('traceparent' in message.task))).toBe(true);
      });

      it('takes at most limit messages per call, oldest first', async () => {
        await fixture.write(tasks('l', 5));
        const rounds: string[][] = [];
        const publish = async (messages: readonly TaskMessage[]) => void rounds.push(keysOf(messages));
        expect([await fixture.outbox.relay(2, publish), await fixture.outbox.relay(2, publish), await fixture.outbox.relay(2, publish)]).toEqual([2, 2, 1]);
        expect(rounds).toEqual([['l/0', 'l/1'], ['l/2', 'l/3'], ['l/4']]);
      });

      it('keeps the messages, ids included, when publish throws, and rethrows', async () => {
        await fixture.write(tasks('f', 2), { requestId: 'req-f' });
        let first: readonly TaskMessage[] = [];
        const failure = new Error('broker down');
        await expect(
          fixture.outbox.relay(10, async (messages) => {
            first = messages;
            throw failure;
          }),
        ).rejects.toBe(failure);
        expect(await drain(fixture.outbox)).toEqual(first);
        expect(keysOf(first)).toEqual(['f/0', 'f/1']);
      });

      it('lets publish wait on a timer and on the store without blocking other calls', async () => {
        await fixture.write(tasks('t', 3));
        const published: string[] = [];
        const reads: Promise<unknown>[] = [];
        const sent = await fixture.outbox.relay(10, async (messages) => {
          reads.push(fixture.read());
          await new Promise((resolve) => setTimeout(resolve, 20));
          await fixture.read();
          published.push(...keysOf(messages));
        });
        expect(sent).toBe(3);
        expect(published).toEqual(['t/0', 't/1', 't/2']);
        await expect(Promise.all(reads)).resolves.toHaveLength(1);
      });

      it('never publishes a message twice when four relays run at once', async () => {
        const total = 200;
        for (let i = 0; i < total; i += 20) await fixture.write(tasks(`c${i}`, 20));
        const published: TaskMessage[] = [];
        const publish = async (messages: readonly TaskMessage[]) => {
          expect(ascending(messages)).toBe(true);
          await new Promise((resolve) => setTimeout(resolve, 1));
          published.push(...messages);
        };
        // The first relay holds its batch until a second one has published another: only
        // possible if the second skips the rows the first holds.
        const second = gate();
        let batches = 0;
        const relay = async () => {
          for (;;) {
            const sent = await fixture.outbox.relay(7, async (messages) => {
              batches += 1;
              if (batches === 1) await second.opened;
              await publish(messages);
              if (batches >= 2) second.open();
            });
            if (sent === 0) return;
          }
        };
        await Promise.all([relay(), relay(), relay(), relay()]);
        expect(published).toHaveLength(total);
        expect(new Set(published.map((message) => message.id)).size).toBe(total);
        expect(new Set(keysOf(published)).size).toBe(total);
      });
    });

    describe('onAdded', () => {
      it('calls the listener once a write committed, when its messages can be relayed', async () => {
        const relayed: string[] = [];
        let done!: Promise<unknown>;
        const unsubscribe = await fixture.outbox.onAdded(() => {
          done = fixture.outbox.relay(10, async (messages) => void relayed.push(...keysOf(messages)));
        });
        try {
          await fixture.write(tasks('n', 2));
          await eventually(() => expect(done).toBeDefined(), { timeout: 10_000 });
          await done;
          expect(relayed).toEqual(['n/0', 'n/1']);
        } finally {
          await unsubscribe();
        }
      });

      it('stays silent for a write that failed', async () => {
        let calls = 0;
        const unsubscribe = await fixture.outbox.onAdded(() => {
          calls += 1;
        });
        try {
          await fixture.failedWrite(tasks('x', 1));
          await fixture.write(tasks('y', 1));
          await eventually(() => expect(calls).toBeGreaterThanOrEqual(1), { timeout: 10_000 });
          await fixture.write(tasks('z', 1));
          await eventually(() => expect(calls).toBeGreaterThanOrEqual(2), { timeout: 10_000 });
          expect(calls).toBe(2);
          expect(keysOf(await drain(fixture.outbox))).toEqual(['y/0', 'z/0']);
        } finally {
          await unsubscribe();
        }
      });

      it('stops calling a listener once unsubscribed, and keeps calling the others', async () => {
        const calls = { gone: 0, kept: 0 };
        const unsubscribeGone = await fixture.outbox.onAdded(() => {
          calls.gone += 1;
        });
        const unsubscribeKept = await fixture.outbox.onAdded(() => {
          calls.kept += 1;
        });
        try {
          await unsubscribeGone();
          await fixture.write(tasks('u', 1));
          await eventually(() => expect(calls.kept).toBe(1), { timeout: 10_000 });
          expect(calls.gone).toBe(0);
        } finally {
          await unsubscribeKept();
        }
      });
    });
  });
}
