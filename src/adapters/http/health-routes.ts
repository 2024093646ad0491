import { checkReadiness, metricSamples, sampleExposition, type ApiDeps, type MetricsExposition } from '../../application/index.js';
import { createRouter } from './create-router.js';
import { redactUrlPasswords } from '../../application/redaction.js';
import { healthOperations } from './operations/health-operations.js';
import { ProblemError } from './problem.js';


/**
 * GET /healthz (the process answers), GET /readyz (every probe passes, else 503), GET /metrics:
 * the product reader's and adapters' figures, then `exposition` (the process's registry) if given.
 */
export function healthRoutes(deps: Pick<ApiDeps, 'probes' | 'productReader' | 'metrics'>, exposition?: MetricsExposition) {
  return createRouter()
    .openapi(healthOperations.healthz, (c) => c.json({ status: 'ok' as const }, 200))
    .openapi(healthOperations.metrics, async (c) => {
      const stats = deps.productReader.stats();
      const reader = metricSamples('product_cache', [
        ['hits', 'GET /products/:id answered from the cache.', stats.hits],
        ['misses', 'GET /products/:id not in the cache.', stats.misses],
        ['loads', 'Database loads after misses (concurrent misses of one id share one).', stats.loads],
      ]);
      const body = sampleExposition([...reader, ...(deps.metrics ?? []).flatMap((source) => source.metrics())]) + ((await exposition?.render()) ?? '');
      return c.text(body, 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
    })
    .openapi(healthOperations.readyz, async (c) => {
      const report = await checkReadiness(deps);
      // The body names dependencies but not their errors (hostnames, driver text); the log has those.
      const checks = report.checks.map(({ name, ok, optional }) => ({ name, ok, ...(optional && { optional }) }));
      if (report.ready) return c.json({ status: 'ready' as const, checks }, 200);
      const failed = report.checks.filter((check) => !check.ok && !check.optional);
      c.var.logger.warn(
        { checks: failed.map(({ name, error }) => ({ name, error: redactUrlPasswords(String(error)) })) },
        'readiness check failed',
      );
      const names = failed.map((check) => check.name).join(', ');
      throw new ProblemError('service.not_ready', `Not ready: ${names} unreachable.`, undefined, { checks });
    });
}
