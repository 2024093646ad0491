import { describe, expect, it } from 'vitest';
import { InProcessRateLimiter } from '../../../src/adapters/in-process/index.js';
import { createRateLimits } from '../../../src/application/index.js';

const POLICIES = { writes: { limit: 2, windowMs: 10_000 }, reads: { limit: 5, windowMs: 1_500 } };

describe('createRateLimits', () => {
  it('allows up to the limit, then refuses with the seconds left, and counts refusals', async () => {
    let clock = 0;
    const limits = createRateLimits({ limiter: new InProcessRateLimiter({ now: () => clock }), logger: { warn: () => undefined } }, POLICIES);
    expect(await limits.check(limits.writes, 'k')).toEqual({ allowed: true, policy: limits.writes, remaining: 1, resetSeconds: 10 });
    await limits.check(limits.writes, 'k');
    clock += 9_999;
    expect(await limits.check(limits.writes, 'k')).toEqual({ allowed: false, policy: limits.writes, remaining: 0, resetSeconds: 1 });
    expect(await limits.check(limits.reads, 'k')).toMatchObject({ allowed: true, remaining: 4, resetSeconds: 2 });
    expect(limits.metrics()).toContainEqual(expect.objectContaining({ name: 'rate_limit_rejected_total', value: 1 }));
  });

  it('fails open when the limiter throws: logged at most once per interval, every one counted', async () => {
    let clock = 0;
    const warnings: unknown[] = [];
    const limits = createRateLimits(
      {
        limiter: {
          hit: () => Promise.reject(new Error('redis down')),
        },
        logger: { warn: (fields, message) => warnings.push({ fields, message }) },
      },
      { ...POLICIES, now: () => clock, logEveryMs: 1_000 },
    );
    for (let i = 0; i < 3; i += 1) expect(await limits.check(limits.writes, 'k')).toMatchObject({ allowed: true, remaining: 2 });
    clock += 1_000;
    await limits.check(limits.reads, 'k');
    expect(warnings).toEqual([
      { fields: expect.objectContaining({ failed_open: 1 }), message: 'rate limiter unavailable: requests are let through unlimited' },
      { fields: expect.objectContaining({ failed_open: 4 }), message: 'rate limiter unavailable: requests are let through unlimited' },
    ]);
    expect(limits.metrics()).toContainEqual(expect.objectContaining({ name: 'rate_limit_failed_open_total', value: 4 }));
  });
});
