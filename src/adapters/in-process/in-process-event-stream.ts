import type { CatalogEvent, EventStream } from '../../application/index.js';

/** EventStream within one process: the embedded default, where the worker runs beside the API. */
export class InProcessEventStream implements EventStream {
  readonly #listeners = new Set<(event: CatalogEvent) => void>();

  async publish(event: CatalogEvent): Promise<void> {
    for (const listener of [...this.#listeners]) listener(event);
  }

  async subscribe(listener: (event: CatalogEvent) => void): Promise<() => Promise<void>> {
    // A wrapper per subscription, so one function subscribed twice is heard twice.
    const entry = (event: CatalogEvent) => listener(event);
    this.#listeners.add(entry);
    return async () => {
      this.#listeners.delete(entry);
    };
  }

  close(): Promise<void> {
    this.#listeners.clear();
    return Promise.resolve();
  }
}
