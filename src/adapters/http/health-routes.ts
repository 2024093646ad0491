import { checkReadiness, type ApiDeps, type MetricsExposition } from '../../application/index.js';
import { createRouter } from './create-router.js';
import { redactUrlPasswords } from '../../application/redaction.js';
import { healthOperations } from './operations/health-operations.js';
import { ProblemError } from './problem.js';


/**
 * GET /healthz (the process answers), GET /readyz (every probe passes, else 503), GET /metrics:
 * `exposition` (the process's registry and its sources), empty without one.
 */
export function healthRoutes(deps: Pick<ApiDeps, 'probes'>, exposition?: MetricsExposition) {
  return createRouter()
    .openapi(healthOperations.healthz, (c) => c.json({ status: 'ok' as const }, 200))
    .openapi(healthOperations.metrics, async (c) => {
      const body = (await exposition?.render()) ?? '';
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
