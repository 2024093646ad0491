import { Hono } from 'hono';
import { checkReadiness, type MetricsExposition, type Probe } from '../../application/index.js';

export interface OpsAppOptions {
  readonly probes: readonly Probe[];
  /** The process's registry and its sources (the worker's cache, the outbox, the queue). */
  readonly exposition: MetricsExposition;
}

/**
 * What a process without the API serves on its own port, for probes and scrapes only: GET
 * /healthz, GET /readyz (503 with the failing checks' names) and GET /metrics. No data, so no key:
 * bind it where only the orchestrator and Prometheus reach it.
 */
export function createOpsApp(options: OpsAppOptions): Hono {
  return new Hono()
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .get('/readyz', async (c) => {
      const report = await checkReadiness({ probes: options.probes });
      const checks = report.checks.map(({ name, ok, optional }) => ({ name, ok, ...(optional && { optional }) }));
      return c.json({ status: report.ready ? 'ready' : 'not_ready', checks }, report.ready ? 200 : 503);
    })
    .get('/metrics', async (c) => {
      return c.text(await options.exposition.render(), 200, { 'Content-Type': options.exposition.contentType });
    });
}
