import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RateLimiter } from '../../src/application/index.js';

export interface RateLimiterFixture {
  readonly limiter: RateLimiter;
  /** Lets `ms` pass for the limiter's windows (a clock the fixture moves, or real time). */
  passTime(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** The RateLimiter port's documented behaviour; every adapter runs it. */
export function rateLimiterContract(name: string, makeFixture: () => Promise<RateLimiterFixture>): void {
  describe(`RateLimiter contract: ${name}`, () => {
    let fixture: RateLimiterFixture;
    beforeEach(async () => {
      fixture = await makeFixture();
    });
    afterEach(async () => {
      await fixture.close();
    });
    const aKey = () => `key-${randomBytes(6).toString('hex')}`;

    it('counts the hits of a key in its window, and says when the window ends', async () => {
      const key = aKey();
      const counts = [];
      for (let i = 0; i < 3; i += 1) counts.push(await fixture.limiter.hit(key, 60_000));
      expect(counts.map(({ count }) => count)).toEqual([1, 2, 3]);
      for (const { resetMs } of counts) {
        expect(resetMs).toBeGreaterThan(0);
        expect(resetMs).toBeLessThanOrEqual(60_000);
      }
    });

    it('counts each key on its own', async () => {
      const [a, b] = [aKey(), aKey()];
      await fixture.limiter.hit(a, 60_000);
      await fixture.limiter.hit(a, 60_000);
      expect((await fixture.limiter.hit(b, 60_000)).count).toBe(1);
    });

    it('starts again from one once the window has ended', async () => {
      const key = aKey();
      await fixture.limiter.hit(key, 200);
      expect((await fixture.limiter.hit(key, 200)).count).toBe(2);
      await fixture.passTime(250);
      expect((await fixture.limiter.hit(key, 200)).count).toBe(1);
    });

    it('counts concurrent hits exactly', async () => {
      const key = aKey();
      const counts = await Promise.all(Array.from({ length: 50 }, () => fixture.limiter.hit(key, 60_000)));
      expect(counts.map(({ count }) => count).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    });
  });
}
