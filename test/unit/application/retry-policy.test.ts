import { describe, expect, it } from 'vitest';
import { retryPolicy, settle, withRetryPolicy, type Delivery } from '../../../src/application/index.js';
import { aTaskMessage } from '../../support/mothers.js';

describe('retryPolicy', () => {
  it('allows one attempt more than it has delays; 1 s, 5 s, 30 s and 2 min by default', () => {
    expect(retryPolicy()).toEqual({ delaysMs: [1_000, 5_000, 30_000, 120_000], maxAttempts: 5 });
    expect(retryPolicy([]).maxAttempts).toBe(1);
  });

  it.each([0, -5, 1.5, Number.NaN])('refuses the delay %s', (delay) => {
    expect(() => retryPolicy([1_000, delay])).toThrow(RangeError);
  });
});

describe('settle', () => {
  const policy = retryPolicy([10, 20]);

  it('acks a done task at any attempt', () => {
    expect(settle(policy, 1, { type: 'done' })).toEqual({ type: 'ack' });
    expect(settle(policy, 3, { type: 'done' })).toEqual({ type: 'ack' });
  });

  it('retries with the next attempt after the delay of this one', () => {
    expect(settle(policy, 1, { type: 'retry', reason: 'r1' })).toEqual({ type: 'retry', attempt: 2, delayMs: 10, reason: 'r1' });
    expect(settle(policy, 2, { type: 'retry', reason: 'r2' })).toEqual({ type: 'retry', attempt: 3, delayMs: 20, reason: 'r2' });
  });

  it('dead-letters a retry asked for on the last attempt, or beyond it', () => {
    expect(settle(policy, 3, { type: 'retry', reason: 'last' })).toEqual({ type: 'dead', attempts: 3, reason: 'last' });
    expect(settle(policy, 9, { type: 'retry', reason: 'replayed twice' })).toEqual({ type: 'dead', attempts: 9, reason: 'replayed twice' });
  });
});

describe('withRetryPolicy', () => {
  const recording = () => {
    const lines: Array<[string, string, Record<string, unknown>]> = [];
    return {
      lines,
      logger: {
        warn: (fields: Record<string, unknown>, message: string) => void lines.push(['warn', message, fields]),
        error: (fields: Record<string, unknown>, message: string) => void lines.push(['error', message, fields]),
      },
    };
  };

  it('hands the handler the delivery with the policy\'s attempts, and settles what it answers', async () => {
    const seen: Delivery[] = [];
    const message = aTaskMessage();
    const settleTask = withRetryPolicy(retryPolicy([10]), async (delivery) => {
      seen.push(delivery);
      return { type: 'done' };
    });
    expect(await settleTask({ ...message, attempt: 1 })).toEqual({ type: 'ack' });
    expect(seen).toEqual([{ ...message, attempt: 1, maxAttempts: 2 }]);
  });

  it('counts a thrown error as a retry with its message, and logs each decision with the task ids', async () => {
    const { lines, logger } = recording();
    const message = aTaskMessage();
    const settleTask = withRetryPolicy(retryPolicy([10]), async () => Promise.reject(new Error('socket hang up')), logger);
    expect(await settleTask({ ...message, attempt: 1 })).toEqual({ type: 'retry', attempt: 2, delayMs: 10, reason: 'socket hang up' });
    expect(await settleTask({ ...message, attempt: 2 })).toEqual({ type: 'dead', attempts: 2, reason: 'socket hang up' });
    expect(lines).toEqual([
      ['warn', 'task will be retried', { task_id: message.id, task_type: 'image.process', attempt: 1, request_id: message.request_id, reason: 'socket hang up', delay_ms: 10 }],
      ['error', 'task dead-lettered after its last attempt', { task_id: message.id, task_type: 'image.process', attempt: 2, request_id: message.request_id, reason: 'socket hang up' }],
    ]);
  });

  it('counts each dead letter by task type in the metrics, and nothing for a retry', async () => {
    const dead: string[] = [];
    const settleTask = withRetryPolicy(retryPolicy([10]), async () => ({ type: 'retry', reason: 'busy' }), undefined, {
      observeDeadLetter: (type) => void dead.push(type),
    });
    await settleTask({ ...aTaskMessage(), attempt: 1 });
    expect(dead).toEqual([]);
    await settleTask({ ...aTaskMessage(), attempt: 2 });
    expect(dead).toEqual(['image.process']);
  });

  it('turns a thrown non-error into its text', async () => {
    const settleTask = withRetryPolicy(retryPolicy([]), async () => Promise.reject('plain text'));
    expect(await settleTask({ ...aTaskMessage(), attempt: 1 })).toEqual({ type: 'dead', attempts: 1, reason: 'plain text' });
  });
});
