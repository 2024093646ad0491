import { checkReadiness, type Deps } from '../../application/index.js';
import { createRouter } from './create-router.js';
import { redactUrlPasswords } from './log-redaction.js';
import { healthOperations } from './operations/health-operations.js';
import { ProblemError } from './problem.js';

/** GET /healthz (the process answers) and GET /readyz (every probe passes, else 503). */
export function healthRoutes(deps: Pick<Deps, 'probes'>) {
  return createRouter()
    .openapi(healthOperations.healthz, (c) => c.json({ status: 'ok' as const }, 200))
    .openapi(healthOperations.readyz, async (c) => {
      const report = await checkReadiness(deps);
      // The body names dependencies but not their errors (hostnames, driver text); the log has those.
      const checks = report.checks.map(({ name, ok }) => ({ name, ok }));
      if (report.ready) return c.json({ status: 'ready' as const, checks }, 200);
      const failed = report.checks.filter((check) => !check.ok);
      c.var.logger.warn(
        { checks: failed.map(({ name, error }) => ({ name, error: redactUrlPasswords(String(error)) })) },
        'readiness check failed',
      );
      const names = failed.map((check) => check.name).join(', ');
      throw new ProblemError('service.not_ready', `Not ready: ${names} unreachable.`, undefined, { checks });
    });
}
