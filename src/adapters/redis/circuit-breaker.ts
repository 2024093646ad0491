/** `closed`: commands flow. `open`: none are sent until `openMs` has passed. `half-open`: one probe decides. */
export type BreakerState = 'closed' | 'open' | 'half-open';

/** When the breaker opens and for how long. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the breaker. */
  readonly failureThreshold: number;
  /** How long it stays open before one probe is let through. */
  readonly openMs: number;
}

/**
 * Counts consecutive failures and says when commands may be sent again. Time comes from `now`, so
 * tests can hold the breaker open for as long as they like without waiting.
 */
export class CircuitBreaker {
  #state: BreakerState = 'closed';
  #failures = 0;
  #openUntil = 0;

  constructor(
    private readonly options: CircuitBreakerOptions,
    private readonly now: () => number,
  ) {}

  get state(): BreakerState {
    return this.#state;
  }

  /** Milliseconds until the probe may be sent; 0 unless open. */
  msUntilProbe(): number {
    return this.#state === 'open' ? Math.max(0, this.#openUntil - this.now()) : 0;
  }

  /** Claims the one half-open probe: true when the breaker was open long enough and the caller should send it. */
  tryProbe(): boolean {
    if (this.#state !== 'open' || this.now() < this.#openUntil) return false;
    this.#state = 'half-open';
    return true;
  }

  /** A command answered. Ignored while open: a late reply to a command sent before opening proves nothing. */
  success(): void {
    if (this.#state === 'open') return;
    this.#state = 'closed';
    this.#failures = 0;
  }

  /** A command failed. Returns true when this failure opened a closed breaker (the start of an outage). */
  failure(): boolean {
    if (this.#state === 'open') return false;
    const opened = this.#state === 'closed' && ++this.#failures >= this.options.failureThreshold;
    if (opened || this.#state === 'half-open') {
      this.#state = 'open';
      this.#openUntil = this.now() + this.options.openMs;
    }
    return opened;
  }
}
