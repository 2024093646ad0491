import type { RateCount, RateLimiter } from '../../application/index.js';

/** Counters held at once before ended windows are swept out. */
const SWEEP_AT = 10_000;

/** RateLimiter in this process's memory: each API instance counts on its own. */
export class InProcessRateLimiter implements RateLimiter {
  readonly #windows = new Map<string, { count: number; endsAt: number }>();
  readonly #now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  async hit(key: string, windowMs: number): Promise<RateCount> {
    const now = this.#now();
    let window = this.#windows.get(key);
    if (!window || window.endsAt <= now) {
      if (this.#windows.size >= SWEEP_AT) this.#sweep(now);
      window = { count: 0, endsAt: now + windowMs };
      this.#windows.set(key, window);
    }
    window.count += 1;
    return { count: window.count, resetMs: window.endsAt - now };
  }

  #sweep(now: number): void {
    for (const [key, window] of this.#windows) if (window.endsAt <= now) this.#windows.delete(key);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
