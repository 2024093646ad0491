export * from './redis-cache.js';
export type { BreakerState, CircuitBreakerOptions } from './circuit-breaker.js';
export type { RedisCacheOptions } from './redis-cache-options.js';
export * from './redis-rate-limiter.js';
export * from './redis-event-stream.js';
export * from './redis-api-load.js';
