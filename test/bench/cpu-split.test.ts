import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { commandOf, medianShares, startCpuShares } from '../../bench/cpu-split.js';

describe('commandOf', () => {
  it('reads the command name of a /proc stat line, even with spaces and parentheses in it', () => {
    expect(commandOf('2206 (redis-server) S 1 2206 2206 0 -1 4')).toBe('redis-server');
    expect(commandOf('77 (my (odd) name) R 1 2 3')).toBe('my (odd) name');
  });
});

describe('startCpuShares', () => {
  it("answers each group's CPU seconds per second of the window, and the machine's rest as other", async () => {
    let used = 0;
    const stop = await startCpuShares({ fake: async () => used, idle: async () => 5 });
    await delay(100);
    used = 0.05;
    const shares = await stop();
    // 0.05 CPU-s over a window a little over 0.1 s.
    expect(shares.fake).toBeGreaterThan(0.2);
    expect(shares.fake).toBeLessThanOrEqual(0.5);
    expect(shares.idle).toBe(0);
    expect(shares.other).toBeGreaterThanOrEqual(0);
    expect(Object.keys(shares)).toEqual(['fake', 'idle', 'other']);
  });

  it('takes the median of each group over the windows', () => {
    expect(medianShares([{ api: 1, other: 0.1 }, { api: 0.5, other: 0.3 }, { api: 0.7, other: 0.2 }])).toEqual({ api: 0.7, other: 0.2 });
    expect(medianShares([])).toEqual({});
  });
});
