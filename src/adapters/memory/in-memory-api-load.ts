import type { ApiLoadProbe, ApiLoadReports } from '../../application/index.js';

/** ApiLoadReports and ApiLoadProbe in memory: the fake the gate's tests use, held to the same contract as RedisApiLoad. */
export class InMemoryApiLoad implements ApiLoadReports, ApiLoadProbe {
  readonly #until = new Map<string, number>();
  readonly #now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  async markSaturated(host: string, forMs: number): Promise<void> {
    this.#until.set(host, Math.max(this.#until.get(host) ?? 0, this.#now() + forMs));
  }

  async isSaturated(host: string): Promise<boolean> {
    const until = this.#until.get(host);
    if (until === undefined) return false;
    if (until > this.#now()) return true;
    this.#until.delete(host);
    return false;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
