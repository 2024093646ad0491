import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiLoadProbe, ApiLoadReports } from '../../src/application/index.js';

export interface ApiLoadFixture {
  readonly load: ApiLoadReports & ApiLoadProbe;
  /** Lets `ms` pass for the marks' expiry (a clock the fixture moves, or real time). */
  passTime(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** The ApiLoadReports and ApiLoadProbe ports' documented behaviour; every adapter runs it. */
export function apiLoadContract(name: string, makeFixture: () => Promise<ApiLoadFixture>): void {
  describe(`ApiLoad contract: ${name}`, () => {
    let fixture: ApiLoadFixture;
    beforeEach(async () => {
      fixture = await makeFixture();
    });
    afterEach(async () => {
      await fixture.close();
    });
    const aHost = () => `host-${randomBytes(6).toString('hex')}`;

    it('says a host is saturated once marked, until the mark expires', async () => {
      const host = aHost();
      expect(await fixture.load.isSaturated(host)).toBe(false);
      await fixture.load.markSaturated(host, 500);
      expect(await fixture.load.isSaturated(host)).toBe(true);
      await fixture.passTime(600);
      expect(await fixture.load.isSaturated(host)).toBe(false);
    });

    it('keeps each host apart', async () => {
      const [a, b] = [aHost(), aHost()];
      await fixture.load.markSaturated(a, 60_000);
      expect(await fixture.load.isSaturated(b)).toBe(false);
    });

    it('a later mark extends the saturation', async () => {
      const host = aHost();
      // Wide margins: with real time, a busy machine delays each call.
      await fixture.load.markSaturated(host, 1_000);
      await fixture.passTime(600);
      await fixture.load.markSaturated(host, 1_000);
      await fixture.passTime(600);
      expect(await fixture.load.isSaturated(host)).toBe(true);
      await fixture.passTime(600);
      expect(await fixture.load.isSaturated(host)).toBe(false);
    });
  });
}
