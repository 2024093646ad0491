import { describe, expect, it } from 'vitest';
import { retryWithin } from '../../../src/application/retry-within.js';

describe('retryWithin', () => {
  it('tries again after each failure until the task resolves, telling onRetry each time', async () => {
    let calls = 0;
    const retried: unknown[] = [];
    const answer = await retryWithin(
      async () => {
        calls += 1;
        if (calls < 3) throw new Error(`not yet ${calls}`);
        return 'ready';
      },
      { withinMs: 5_000, everyMs: 1, onRetry: (error) => retried.push((error as Error).message) },
    );
    expect(answer).toBe('ready');
    expect(retried).toEqual(['not yet 1', 'not yet 2']);
  });

  it('rethrows the last failure once the time is up', async () => {
    let calls = 0;
    const failing = retryWithin(
      async () => {
        calls += 1;
        throw new Error(`down ${calls}`);
      },
      { withinMs: 30, everyMs: 5 },
    );
    await expect(failing).rejects.toThrow(/^down \d+$/);
    expect(calls).toBeGreaterThan(1);
  });
});
