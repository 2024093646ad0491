/** One figure in an adapter's operational report, named and typed as Prometheus expects. */
export interface MetricSample {
  /** snake_case; counters end in `_total`. */
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge';
  readonly value: number;
  /** Label names and values; samples of one name share the label names. */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * An adapter whose figures /metrics reports (a cache's hits and errors, the outbox backlog, the
 * broker's queue depths). Asked at scrape time; a source that is slow or fails is left out of
 * that scrape rather than holding it.
 */
export interface MetricsSource {
  /** The figures now: counters the adapter keeps, or a quick question to its backend. */
  metrics(): readonly MetricSample[] | Promise<readonly MetricSample[]>;
}

/** What the HTTP adapter reports of each request: its route template, never the raw path. */
export interface RequestMetrics {
  observeRequest(route: string, method: string, status: number, seconds: number): void;
}

/** One stage of an image job: reading the source, encoding, storing the object, the guarded update. */
export type PipelineStage = 'download' | 'compress' | 'store' | 'commit';

/** How an image job ended: done, superseded (the image changed meanwhile), skipped, failed for good, or retried. */
export type JobOutcome = 'done' | 'superseded' | 'skipped' | 'failed' | 'retry';

/** What the image worker reports as it works. */
export interface PipelineMetrics {
  observeStage(stage: PipelineStage, seconds: number): void;
  observeJob(outcome: JobOutcome): void;
  /** A task of `type` this process sent to the dead letters (its last attempt failed). */
  observeDeadLetter(type: string): void;
}

/** A process's metrics in the Prometheus text format, for a scrape. */
export interface MetricsExposition {
  readonly contentType: string;
  render(): Promise<string>;
}
