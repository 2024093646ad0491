import type { Probe } from './ports/probe.js';

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: readonly { name: string; ok: boolean; error?: string }[];
}

/** Runs every probe at once; a probe slower than `timeoutMs` counts as down. */
export async function checkReadiness(
  deps: { probes: readonly Probe[] },
  timeoutMs = 2000,
): Promise<ReadinessReport> {
  const checks = await Promise.all(
    deps.probes.map(async (probe) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([probe.check(), timeout]);
        return { name: probe.name, ok: true };
      } catch (error) {
        return { name: probe.name, ok: false, error: error instanceof Error ? error.message : String(error) };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { ready: checks.every((check) => check.ok), checks };
}
