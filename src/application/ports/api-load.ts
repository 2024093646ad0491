/**
 * Where an API process says that its event loop is saturated, so that workers sharing its host
 * give it the CPU. Keyed by a host id: an API and a worker with the same id share cores.
 */
export interface ApiLoadReports {
  /** Marks `host` saturated for the next `forMs` (a later mark extends it). */
  markSaturated(host: string, forMs: number): Promise<void>;
}

/** What a worker asks before CPU work: whether an API on its host is saturated now. */
export interface ApiLoadProbe {
  isSaturated(host: string): Promise<boolean>;
}
