import { describe, expect, it, vi } from 'vitest';
import { checkReadiness } from '../../../src/application/index.js';

describe('checkReadiness', () => {
  it('is ready when every probe answers', async () => {
    const report = await checkReadiness({ probes: [{ name: 'postgres', check: async () => undefined }] });
    expect(report).toEqual({ ready: true, checks: [{ name: 'postgres', ok: true }] });
  });

  it('names the probes that fail or hang', async () => {
    vi.useFakeTimers();
    try {
      const pending = checkReadiness(
        {
          probes: [
            { name: 'postgres', check: async () => undefined },
            { name: 'redis', check: () => Promise.reject(new Error('ECONNREFUSED')) },
            { name: 'amqp', check: () => new Promise<void>(() => undefined) },
            { name: 'odd', check: () => Promise.reject('plain string') },
          ],
        },
        50,
      );
      await vi.advanceTimersByTimeAsync(60);
      expect(await pending).toEqual({
        ready: false,
        checks: [
          { name: 'postgres', ok: true },
          { name: 'redis', ok: false, error: 'ECONNREFUSED' },
          { name: 'amqp', ok: false, error: 'no answer within 50 ms' },
          { name: 'odd', ok: false, error: 'plain string' },
        ],
      });
    } finally {
      vi.useRealTimers();
    }
  });

  it('stays ready when only an optional dependency is down, and reports it', async () => {
    const report = await checkReadiness({
      probes: [
        { name: 'postgres', check: async () => undefined },
        { name: 'redis', optional: true, check: () => Promise.reject(new Error('ECONNREFUSED')) },
        { name: 'cache-ok', optional: true, check: async () => undefined },
      ],
    });
    expect(report).toEqual({
      ready: true,
      checks: [
        { name: 'postgres', ok: true },
        { name: 'redis', ok: false, optional: true, error: 'ECONNREFUSED' },
        { name: 'cache-ok', ok: true, optional: true },
      ],
    });
  });
});
