import type { Cluster, Redis } from 'ioredis';
import type { RateCount, RateLimiter } from '../../application/index.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { connectStrictly, createRedisClient, resolveSettings } from './redis-cache-options.js';

/** How RedisRateLimiter connects; commands fail fast so the caller can fail open. */
export interface RedisRateLimiterOptions {
  /** One server (`redis://`) or a cluster (`redis-cluster://host:port,…`), as for the cache. */
  readonly url: string;
  /** Namespace of the counters (default `catalog`); they live under `<prefix>:ratelimit:`. */
  readonly prefix?: string;
  /** Longest wait for one command (default 50 ms). */
  readonly commandTimeoutMs?: number;
  readonly now?: () => number;
}

// One round trip, atomic: the first hit of a window starts its expiry. A counter left without one
// (an interrupted script cannot do that, but an operator's SET can) is given one.
const HIT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if count == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { count, ttl }`;

type HitClient = (Redis | Cluster) & { rateLimitHit(key: string, windowMs: number): Promise<[number, number]> };

/**
 * RateLimiter on Redis: every API instance on the same server and prefix shares the counters.
 * After 5 failures in a row a circuit breaker stops asking for 2 s, so an outage costs no command
 * timeout per request.
 */
export class RedisRateLimiter implements RateLimiter {
  readonly #client: HitClient;
  readonly #prefix: string;
  readonly #breaker: CircuitBreaker;

  private constructor(options: RedisRateLimiterOptions) {
    // The cache's fail-fast client (offline queue off, no retries, the command timeout), cluster or not.
    this.#client = createRedisClient(resolveSettings({ url: options.url, commandTimeoutMs: options.commandTimeoutMs ?? 50 })) as HitClient;
    // An unreachable server is reported by the commands; without a listener ioredis would print each attempt.
    this.#client.on('error', () => undefined);
    this.#client.defineCommand('rateLimitHit', { numberOfKeys: 1, lua: HIT });
    this.#prefix = `${options.prefix ?? 'catalog'}:ratelimit:`;
    this.#breaker = new CircuitBreaker({ failureThreshold: 5, openMs: 2_000 }, options.now ?? Date.now);
  }

  /** Connects and PINGs; rejects with a readable message when Redis cannot be reached. */
  static async connect(options: RedisRateLimiterOptions): Promise<RedisRateLimiter> {
    const limiter = new RedisRateLimiter(options);
    await connectStrictly(limiter.#client, options.url, () => limiter.close());
    return limiter;
  }

  async hit(key: string, windowMs: number): Promise<RateCount> {
    if (this.#breaker.state !== 'closed' && !this.#breaker.tryProbe()) throw new Error('Redis rate limiter: circuit open after repeated failures');
    try {
      const [count, resetMs] = await this.#client.rateLimitHit(this.#prefix + key, windowMs);
      this.#breaker.success();
      return { count, resetMs };
    } catch (error) {
      this.#breaker.failure();
      throw error;
    }
  }

  async close(): Promise<void> {
    if (this.#client.status === 'ready') await this.#client.quit().catch(() => undefined);
    this.#client.disconnect();
  }
}
