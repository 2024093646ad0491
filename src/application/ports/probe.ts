/** A dependency that readiness checks: resolves when reachable, rejects with the reason if not. */
export interface Probe {
  /** Short name shown in the readiness report, e.g. `postgres`. */
  readonly name: string;
  /**
   * Reported but not required for readiness: a dependency the service degrades without (a cache
   * that fails open), so its outage must not take instances out of rotation.
   */
  readonly optional?: boolean;
  check(): Promise<void>;
}
