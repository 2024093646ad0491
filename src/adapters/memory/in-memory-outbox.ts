import type { Outbox, Task, TaskMessage, WriteContext } from '../../application/index.js';

/**
 * Outbox in an array, written by InMemoryProductRepo in the same synchronous step as the change.
 * Relays claim the messages they publish, so concurrent relays never publish one twice.
 */
export class InMemoryOutbox implements Outbox {
  readonly #messages: TaskMessage[] = [];
  readonly #claimed = new Set<string>();
  readonly #listeners = new Set<() => void>();
  #nextId = 1;

  /** Queues `tasks` as one committed write; listeners hear about it on a microtask. */
  add(tasks: readonly Task[], { requestId, traceparent }: WriteContext = {}): void {
    if (tasks.length === 0) return;
    for (const task of tasks) {
      this.#messages.push({
        id: String(this.#nextId++),
        task,
        ...(requestId !== undefined && { request_id: requestId }),
        ...(traceparent !== undefined && { traceparent }),
      });
    }
    queueMicrotask(() => {
      for (const listener of [...this.#listeners]) listener();
    });
  }

  /** Messages not yet relayed, oldest first. */
  get pending(): readonly TaskMessage[] {
    return [...this.#messages];
  }

  async relay(limit: number, publish: (messages: readonly TaskMessage[]) => Promise<void>): Promise<number> {
    const batch = this.#messages.filter((message) => !this.#claimed.has(message.id)).slice(0, limit);
    if (batch.length === 0) return 0;
    const ids = new Set(batch.map((message) => message.id));
    for (const id of ids) this.#claimed.add(id);
    try {
      await publish(batch);
      for (let i = this.#messages.length - 1; i >= 0; i -= 1) {
        if (ids.has(this.#messages[i]!.id)) this.#messages.splice(i, 1);
      }
    } finally {
      for (const id of ids) this.#claimed.delete(id);
    }
    return batch.length;
  }

  async onAdded(listener: () => void): Promise<() => Promise<void>> {
    // A wrapper per subscription, so subscribing one function twice needs two unsubscribes.
    const entry = () => listener();
    this.#listeners.add(entry);
    return async () => {
      this.#listeners.delete(entry);
    };
  }
}
