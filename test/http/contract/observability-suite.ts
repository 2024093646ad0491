import { describe, expect, it } from 'vitest';
import type { Probe } from '../../../src/application/index.js';
import { appWith, brokenProductRepo, problemOf, type Http } from '../support/http-harness.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const probe = (name: string, failure?: string): Probe => ({
  name,
  check: failure === undefined ? async () => undefined : async () => Promise.reject(new Error(failure)),
});

export function observabilitySuite(http: Http): void {
  describe('request ids and logs', () => {
    it('echoes a well-formed X-Request-Id, on success and on problems', async () => {
      const ok = await http.request('/healthz', { headers: { 'X-Request-Id': 'req-123.abc:DEF_9' } });
      expect(ok.headers.get('x-request-id')).toBe('req-123.abc:DEF_9');
      const missing = await http.request('/products/abc', { headers: { 'X-Request-Id': 'trace-42' } });
      expect(missing.headers.get('x-request-id')).toBe('trace-42');
      expect((await problemOf(missing, 404, 'product.not_found')).request_id).toBe('trace-42');
    });

    it.each([
      ['absent', undefined],
      ['with spaces', 'not allowed'],
      ['too long', 'a'.repeat(129)],
      ['with a newline-like character', 'a\tb'],
    ])('generates a UUID when the inbound id is %s', async (_name, inbound) => {
      const response = await http.request('/healthz', inbound === undefined ? {} : { headers: { 'X-Request-Id': inbound } });
      expect(response.headers.get('x-request-id')).toMatch(UUID);
      expect(response.headers.get('x-request-id')).not.toBe(inbound);
    });

    it('writes one access line per request: method, path without query, status, duration_ms, request_id', async () => {
      const user = await http.newUser();
      http.logs.length = 0;
      const response = await http.request(`/products?user_id=${user.id}&product_name=secret-search`, { headers: { 'X-Request-Id': 'log-check-1' } });
      expect(response.status).toBe(200);
      const lines = http.logs.filter((line) => line.msg === 'request completed');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 30, method: 'GET', path: '/products', status: 200, request_id: 'log-check-1' });
      expect(lines[0]?.duration_ms).toEqual(expect.any(Number));
      expect(lines[0]?.duration_ms).toBeGreaterThanOrEqual(0);
      expect(lines[0]?.err).toBeUndefined();
      expect(JSON.stringify(http.logs)).not.toContain('secret-search');
    });

    it('logs client errors at info, without an error object', async () => {
      const response = await http.request('/nope');
      expect(response.status).toBe(404);
      expect(http.logs).toEqual([expect.objectContaining({ level: 30, status: 404, path: '/nope' })]);
    });
  });

  describe('health', () => {
    it('GET /healthz is 200 and touches no dependency', async () => {
      const { app } = appWith({ ...http.deps, products: brokenProductRepo('down'), probes: [probe('postgres', 'down')] });
      const response = await app.request('/healthz');
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok' });
    });

    it('HEAD /healthz answers like GET without a body', async () => {
      const response = await http.request('/healthz', { method: 'HEAD' });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('');
    });

    it('GET /readyz is 200 listing every check when all pass', async () => {
      const { app } = appWith({ ...http.deps, probes: [...http.deps.probes, probe('cache')] });
      const response = await app.request('/readyz');
      expect(response.status).toBe(200);
      const body = (await response.json()) as { status: string; checks: { name: string; ok: boolean }[] };
      expect(body.status).toBe('ready');
      expect(body.checks).toContainEqual({ name: 'cache', ok: true });
    });

    it('GET /readyz is 503 service.not_ready naming the failed dependency; its error stays in the log', async () => {
      const failure = 'connect refused amqp://guest:guest-pass@mq.internal:5672';
      const { app, logs } = appWith({ ...http.deps, probes: [...http.deps.probes, probe('cache'), probe('queue', failure)] });
      const response = await app.request('/readyz');
      const problem = await problemOf(response, 503, 'service.not_ready');
      expect(problem.detail).toContain('queue');
      expect(problem.detail).not.toContain('cache');
      expect(problem.checks).toEqual(expect.arrayContaining([{ name: 'cache', ok: true }, { name: 'queue', ok: false }]));
      expect(JSON.stringify(problem)).not.toContain('mq.internal');
      const warning = logs.find((line) => line.msg === 'readiness check failed');
      expect(warning).toMatchObject({ level: 40, checks: [{ name: 'queue', error: 'connect refused amqp://guest:[redacted]@mq.internal:5672' }] });
      const access = logs.find((line) => line.msg === 'request completed');
      expect(access).toMatchObject({ level: 50, status: 503 });
      expect(access?.err).toBeUndefined();
    });
  });
}
