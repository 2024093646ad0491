import { describe, expect, it } from 'vitest';
import { InProcessTaskQueue, type RetryScheduler } from '../../../src/adapters/in-process/index.js';
import { retryPolicy, withRetryPolicy } from '../../../src/application/index.js';
import { eventually } from '../../support/eventually.js';
import { aTaskMessage, anImageTask, anObjectDeleteTask } from '../../support/mothers.js';
import { DLQ_USAGE, parseDlqArgs, runDlqCommand } from '../../../src/main/dlq-command.js';

describe('parseDlqArgs', () => {
  it('reads list, list --limit, replay --all and replay by ids', () => {
    expect(parseDlqArgs(['list'])).toEqual({ action: 'list', limit: 100 });
    expect(parseDlqArgs(['list', '--limit', '5'])).toEqual({ action: 'list', limit: 5 });
    expect(parseDlqArgs(['replay', '--all'])).toEqual({ action: 'replay', ids: 'all' });
    expect(parseDlqArgs(['replay', '12', '13'])).toEqual({ action: 'replay', ids: ['12', '13'] });
  });

  it.each([[[]], [['list', '--limit', '0']], [['list', '--limit']], [['replay']], [['replay', '--all', '3']], [['replay', 'a b']], [['purge']]])(
    'answers %j with the usage',
    (args) => {
      expect(() => parseDlqArgs(args)).toThrow(DLQ_USAGE);
    },
  );
});

describe('runDlqCommand', () => {
  it('lists dead letters with reason and attempts, then replays them', async () => {
    // Retries run on the next turn of the event loop instead of after their delay.
    const immediately: RetryScheduler = (run) => {
      const timer = setImmediate(run);
      return () => clearImmediate(timer);
    };
    const queue = new InProcessTaskQueue({ schedule: immediately });
    const deps = { deadLetters: queue };
    const handled: string[] = [];
    let fail = true;
    const consumer = await queue.consume(
      withRetryPolicy(retryPolicy([1]), async (delivery) => {
        handled.push(delivery.id);
        return fail ? { type: 'retry', reason: 'image.unavailable: HTTP 503' } : { type: 'done' };
      }),
    );
    try {
      expect(await runDlqCommand(deps, { action: 'list', limit: 10 })).toBe('no dead letters');
      await queue.publish([
        aTaskMessage({ id: '7', task: anImageTask({ product_id: 1, image_id: 2 }) }),
        aTaskMessage({ id: '8', task: anObjectDeleteTask('images/x.webp') }),
      ]);
      await eventually(async () => expect(await queue.list(100)).toHaveLength(2));
      const listing = await runDlqCommand(deps, { action: 'list', limit: 10 });
      expect(listing).toMatch(/^id\tdead_at\tattempts\ttask\treason\n/);
      expect(listing).toMatch(/7\t\S+\t2\timage 2 of product 1\timage\.unavailable: HTTP 503/);
      expect(listing).toMatch(/8\t\S+\t2\tdelete images\/x\.webp\t/);
      expect(listing.endsWith('2 dead letters')).toBe(true);

      fail = false;
      expect(await runDlqCommand(deps, { action: 'replay', ids: ['7'] })).toBe('replayed 1 dead letter');
      expect(await runDlqCommand(deps, { action: 'replay', ids: 'all' })).toBe('replayed 1 dead letter');
      await eventually(() => expect(handled).toHaveLength(6));
      expect(handled.sort()).toEqual(['7', '7', '7', '8', '8', '8']);
      expect(await runDlqCommand(deps, { action: 'replay', ids: 'all' })).toBe('replayed 0 dead letters');
    } finally {
      await consumer.stop();
      await queue.close();
    }
  });
});
