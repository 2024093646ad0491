import type { Probe } from './ports/probe.js';

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: readonly { name: string; ok: boolean; optional?: boolean; error?: string }[];
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
        return { name: probe.name, ok: true, ...(probe.optional && { optional: true }) };
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return { name: probe.name, ok: false, ...(probe.optional && { optional: true }), error: reason };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { ready: checks.every((check) => check.ok || check.optional), checks };
}
