import { describe, expect, it } from 'vitest';
import { createOpsApp } from '../../src/adapters/http/index.js';
import { PrometheusMetrics } from '../../src/adapters/prometheus/index.js';

// The port a worker-only process serves for probes and scrapes.
describe('createOpsApp', () => {
  const source = { metrics: () => [{ name: 'inprocess_cache_entries', help: 'Entries.', type: 'gauge' as const, value: 3 }] };
  const appWith = (up: boolean) =>
    createOpsApp({
      probes: [
        { name: 'postgres', check: async () => undefined },
        { name: 'amqp', check: async () => (up ? undefined : Promise.reject(new Error('connection refused'))) },
      ],
      exposition: new PrometheusMetrics({ sources: [source] }),
    });

  it('answers /healthz, and /readyz with every check', async () => {
    const app = appWith(true);
    expect(await (await app.request('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: [{ name: 'postgres', ok: true }, { name: 'amqp', ok: true }] });
  });

  it('is 503 with the failing check named, and without its error text', async () => {
    const ready = await appWith(false).request('/readyz');
    expect(ready.status).toBe(503);
    const body = await ready.text();
    expect(JSON.parse(body)).toEqual({ status: 'not_ready', checks: [{ name: 'postgres', ok: true }, { name: 'amqp', ok: false }] });
    expect(body).not.toContain('refused');
  });

  it('serves the sources and the registry as Prometheus text', async () => {
    const response = await appWith(true).request('/metrics');
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await response.text();
    expect(text).toContain('inprocess_cache_entries 3\n');
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
  });
});
