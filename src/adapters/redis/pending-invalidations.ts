/** A key and the version it must be marked at. */
export type Invalidation = readonly [key: string, version: number];

/** Invalidations that could not reach Redis, the highest version per key, waiting to be replayed. */
export class PendingInvalidations {
  readonly #versions = new Map<string, number>();

  constructor(private readonly max: number) {}

  get size(): number {
    return this.#versions.size;
  }

  /** Keeps the higher version; false when the key is new and `max` keys are already pending (it is dropped). */
  add(key: string, version: number): boolean {
    const current = this.#versions.get(key);
    if (current === undefined && this.#versions.size >= this.max) return false;
    if (current === undefined || version > current) this.#versions.set(key, version);
    return true;
  }

  /** Up to `limit` invalidations to replay; they stay pending until `settle`. */
  batch(limit: number): Invalidation[] {
    const batch: Invalidation[] = [];
    for (const entry of this.#versions) {
      if (batch.length === limit) break;
      batch.push(entry);
    }
    return batch;
  }

  /** Forgets what Redis now has: keys whose pending version is not above the one written. */
  settle(written: readonly Invalidation[]): void {
    for (const [key, version] of written) {
      const current = this.#versions.get(key);
      if (current !== undefined && current <= version) this.#versions.delete(key);
    }
  }
}
