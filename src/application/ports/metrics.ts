/** One figure in an adapter's operational report, named and typed as Prometheus expects. */
export interface MetricSample {
  /** snake_case; counters end in `_total`. */
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge';
  readonly value: number;
}

/** An adapter whose figures /metrics reports (a cache's hits and errors, its circuit breaker). */
export interface MetricsSource {
  /** The figures now; cheap enough to call on every scrape. */
  metrics(): readonly MetricSample[];
}
