import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { sampleExposition } from '../../application/metric-samples.js';
import type {
  JobOutcome,
  MetricSample,
  MetricsExposition,
  MetricsSource,
  PipelineMetrics,
  PipelineStage,
  RequestMetrics,
} from '../../application/ports/metrics.js';

export interface PrometheusMetricsOptions {
  /** Adapters whose figures are rendered with every scrape (caches, rate limits, outbox, queue). */
  readonly sources?: readonly MetricsSource[];
  /** How long a scrape waits for a source before leaving it out (default 1000 ms). */
  readonly sourceTimeoutMs?: number;
}

// Request durations from a cached GET (sub-millisecond) to a large upload.
const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
// Image stages from a database update to a slow download of 25 MiB.
const STAGE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];


/**
 * One process's metrics on prom-client: the process and event-loop metrics prom-client collects
 * (`process_*`, `nodejs_*`), request durations by route template, image stages and job outcomes,
 * and the figures of the adapters given as `sources`. Each instance has its own registry.
 */
export class PrometheusMetrics implements RequestMetrics, PipelineMetrics, MetricsExposition {
  readonly #registry = new Registry();
  readonly #sources: readonly MetricsSource[];
  readonly #requests: Histogram<'route' | 'method' | 'status'>;
  readonly #stages: Histogram<'stage'>;
  readonly #jobs: Counter<'outcome'>;
  readonly #deadLetters: Counter<'type'>;
  readonly #sourceFailures: Counter;
  readonly #sourceTimeoutMs: number;

  constructor(options: PrometheusMetricsOptions = {}) {
    this.#sources = options.sources ?? [];
    this.#sourceTimeoutMs = options.sourceTimeoutMs ?? 1000;
    collectDefaultMetrics({ register: this.#registry });
    const registers = [this.#registry];
    this.#requests = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests by route template, method and status, from the first byte in to the last out.',
      labelNames: ['route', 'method', 'status'],
      buckets: REQUEST_BUCKETS,
      registers,
    });
    this.#stages = new Histogram({
      name: 'image_job_stage_duration_seconds',
      help: 'Image job stages: download (or reading the upload), compress, store (object put), commit (the guarded update).',
      labelNames: ['stage'],
      buckets: STAGE_BUCKETS,
      registers,
    });
    this.#jobs = new Counter({
      name: 'image_jobs_total',
      help: 'Image jobs by outcome: done, superseded (the image changed meanwhile), skipped, failed (for good), retry.',
      labelNames: ['outcome'],
      registers,
    });
    this.#deadLetters = new Counter({
      name: 'tasks_dead_lettered_total',
      help: 'Tasks this process sent to the dead letters after their last attempt, by task type.',
      labelNames: ['type'],
      registers,
    });
    this.#sourceFailures = new Counter({
      name: 'metrics_source_failures_total',
      help: 'Scrapes that left a source out because it failed or did not answer within its timeout (broker, database).',
      registers,
    });
  }

  readonly contentType = 'text/plain; version=0.0.4; charset=utf-8';

  observeRequest(route: string, method: string, status: number, seconds: number): void {
    this.#requests.observe({ route, method, status: String(status) }, seconds);
  }

  observeStage(stage: PipelineStage, seconds: number): void {
    this.#stages.observe({ stage }, seconds);
  }

  observeJob(outcome: JobOutcome): void {
    this.#jobs.inc({ outcome });
  }

  observeDeadLetter(type: string): void {
    this.#deadLetters.inc({ type });
  }

  /** The sources' figures first (a failing one counted in this very scrape), then the registry. */
  async render(): Promise<string> {
    const figures = await Promise.all(this.#sources.map((source) => this.#ask(source)));
    return sampleExposition(figures.flat()) + (await this.#registry.metrics());
  }

  async #ask(source: MetricsSource): Promise<readonly MetricSample[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('metrics source timed out')), this.#sourceTimeoutMs);
    });
    try {
      return await Promise.race([Promise.resolve().then(() => source.metrics()), timeout]);
    } catch {
      this.#sourceFailures.inc();
      return [];
    } finally {
      clearTimeout(timer);
    }
  }
}
