/** A dependency that readiness checks: resolves when reachable, rejects with the reason if not. */
export interface Probe {
  /** Short name shown in the readiness report, e.g. `postgres`. */
  readonly name: string;
  check(): Promise<void>;
}
