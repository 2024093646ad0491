import { metricSamples } from './metric-samples.js';
import type { Logger } from './ports/logger.js';
import type { MetricSample, MetricsSource } from './ports/metrics.js';
import type { RateLimiter } from './ports/rate-limiter.js';

/** A quota: at most `limit` requests per `windowMs`, named in the RateLimit headers. */
export interface RatePolicy {
  readonly name: 'writes' | 'reads';
  readonly limit: number;
  readonly windowMs: number;
}

/** The answer for one request: whether it may proceed, and what the headers say. */
export interface RateDecision {
  readonly allowed: boolean;
  readonly policy: RatePolicy;
  readonly remaining: number;
  /** Whole seconds until the window resets (at least 1 when refused). */
  readonly resetSeconds: number;
}

export interface RateLimits extends MetricsSource {
  readonly writes: RatePolicy;
  readonly reads: RatePolicy;
  /** Counts a request of `subject` (a key id or a client address) against `policy`. */
  check(policy: RatePolicy, subject: string): Promise<RateDecision>;
}

export interface RateLimitsOptions {
  readonly writes: Omit<RatePolicy, 'name'>;
  readonly reads: Omit<RatePolicy, 'name'>;
  /** The store's failures are logged at most this often (10 s by default); each is counted. */
  readonly logEveryMs?: number;
  readonly now?: () => number;
}

/**
 * Per-subject quotas over a RateLimiter. When the store fails the request is let through (fail
 * open: an outage of Redis must not become one of the API), logged and counted in the metrics.
 */
export function createRateLimits(deps: { limiter: RateLimiter; logger: Pick<Logger, 'warn'> }, options: RateLimitsOptions): RateLimits {
  const writes: RatePolicy = { name: 'writes', ...options.writes };
  const reads: RatePolicy = { name: 'reads', ...options.reads };
  const logEveryMs = options.logEveryMs ?? 10_000;
  const now = options.now ?? Date.now;
  const counts = { rejected: 0, failedOpen: 0 };
  let loggedAt = -Infinity;

  return {
    writes,
    reads,
    async check(policy, subject) {
      try {
        const { count, resetMs } = await deps.limiter.hit(`${policy.name}:${subject}`, policy.windowMs);
        const allowed = count <= policy.limit;
        if (!allowed) counts.rejected += 1;
        const resetSeconds = Math.max(allowed ? 0 : 1, Math.ceil(resetMs / 1000));
        return { allowed, policy, remaining: Math.max(0, policy.limit - count), resetSeconds };
      } catch (error) {
        counts.failedOpen += 1;
        if (now() - loggedAt >= logEveryMs) {
          loggedAt = now();
          deps.logger.warn({ err: error, failed_open: counts.failedOpen }, 'rate limiter unavailable: requests are let through unlimited');
        }
        return { allowed: true, policy, remaining: policy.limit, resetSeconds: Math.ceil(policy.windowMs / 1000) };
      }
    },
    metrics(): readonly MetricSample[] {
      return metricSamples('rate_limit', [
        ['rejected', 'Requests answered 429 rate_limit.exceeded.', counts.rejected],
        ['failed_open', 'Requests let through because the rate limiter could not answer.', counts.failedOpen],
      ]);
    },
  };
}
