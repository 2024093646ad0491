import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { InProcessRateLimiter } from '../../../src/adapters/in-process/index.js';
import { createRateLimits } from '../../../src/application/index.js';
import { aNewProduct, aNewUser } from '../../support/mothers.js';
import { appWith, problemOf, type Http } from '../support/http-harness.js';

export function rateLimitSuite(http: Http): void {
  describe('rate limits', () => {
    const limited = () => {
      const rateLimits = createRateLimits(
        { limiter: new InProcessRateLimiter(), logger: pino({ level: 'silent' }) },
        { writes: { limit: 2, windowMs: 60_000 }, reads: { limit: 3, windowMs: 60_000 } },
      );
      return appWith({ ...http.deps, rateLimits }).app;
    };
    const registered = async () => (await (await http.send('POST', '/users', aNewUser())).json()) as { id: number; api_key: string };
    const create = (app: ReturnType<typeof limited>, userId: number, headers: Record<string, string> = {}) =>
      app.request('/products', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(aNewProduct(userId)) });

    it('counts writes per key, says so in RateLimit headers, and answers 429 with Retry-After once spent', async () => {
      const app = limited();
      const [ada, bob] = [await registered(), await registered()];
      const asAda = { authorization: `Bearer ${ada.api_key}` };
      const first = await create(app, ada.id, asAda);
      expect(first.status).toBe(201);
      expect(first.headers.get('ratelimit-policy')).toBe('"writes";q=2;w=60');
      expect(first.headers.get('ratelimit')).toMatch(/^"writes";r=1;t=(59|60)$/);
      expect((await create(app, ada.id, asAda)).status).toBe(201);
      const refused = await create(app, ada.id, asAda);
      const problem = await problemOf(refused, 429, 'rate_limit.exceeded');
      expect(problem.detail).toMatch(/More than 2 writes in 60 s with this key/);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(refused.headers.get('ratelimit')).toMatch(/^"writes";r=0;t=\d+$/);
      // Another key has its own quota; an admin key has none.
      expect((await create(app, bob.id, { authorization: `Bearer ${bob.api_key}` })).status).toBe(201);
      for (let i = 0; i < 4; i += 1) {
        const response = await create(app, ada.id);
        expect(response.status).toBe(201);
        expect(response.headers.get('ratelimit')).toBeNull();
      }
    });

    it('counts anonymous reads per client address, and keyed reads per key', async () => {
      const app = limited();
      const user = await registered();
      const path = `/products?user_id=${user.id}`;
      for (let i = 0; i < 3; i += 1) expect((await app.request(path, { headers: { authorization: '' } })).status).toBe(200);
      const refused = await app.request(path, { headers: { authorization: '' } });
      expect((await problemOf(refused, 429, 'rate_limit.exceeded')).detail).toMatch(/from this address/);
      expect(refused.headers.get('ratelimit-policy')).toBe('"reads";q=3;w=60');
      expect((await app.request(path, { headers: { authorization: `Bearer ${user.api_key}` } })).status).toBe(200);
    });
  });
}
