import type { Logger } from '../../application/ports/logger.js';
import type {
  Consumer,
  DeadLetter,
  Delivery,
  TaskHandler,
  TaskMessage,
  TaskOutcome,
  TaskQueue,
} from '../../application/ports/task-queue.js';

/** Runs `run` after `delayMs`; returns a function that cancels it. */
export type RetryScheduler = (run: () => void, delayMs: number) => () => void;

/** Concurrency and backoff as in the AMQP adapter; the clock and scheduler can be injected for tests. */
export interface InProcessTaskQueueOptions {
  /** Deliveries handled at once per consumer (default 2). */
  readonly concurrency?: number;
  /** Wait before each retry; attempts allowed = length + 1 (default 1 s, 5 s, 30 s, 2 min). */
  readonly retryDelaysMs?: readonly number[];
  /** Defaults to an unref'd setTimeout, so pending retries never keep the process alive. */
  readonly schedule?: RetryScheduler;
  readonly now?: () => Date;
  readonly logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
}

interface Entry {
  readonly message: TaskMessage;
  readonly attempt: number;
}

interface Subscription {
  readonly handler: TaskHandler;
  readonly inFlight: Set<Promise<void>>;
}

const unrefTimeout: RetryScheduler = (run, delayMs) => {
  const timer = setTimeout(run, delayMs);
  timer.unref();
  return () => clearTimeout(timer);
};

/**
 * The embedded TaskQueue: the AMQP adapter's retry, backoff and dead-letter semantics in memory.
 * Nothing survives the process: publish resolves once the message is queued in memory.
 */
export class InProcessTaskQueue implements TaskQueue {
  readonly #ready: Entry[] = [];
  readonly #subscriptions: Subscription[] = [];
  readonly #timers = new Set<() => void>();
  readonly #dead: DeadLetter[] = [];
  readonly #concurrency: number;
  readonly #delays: readonly number[];
  readonly #schedule: RetryScheduler;
  readonly #now: () => Date;
  #closing: Promise<void> | undefined;

  constructor(private readonly options: InProcessTaskQueueOptions = {}) {
    this.#concurrency = options.concurrency ?? 2;
    this.#delays = [...(options.retryDelaysMs ?? [1_000, 5_000, 30_000, 120_000])];
    this.#schedule = options.schedule ?? unrefTimeout;
    this.#now = options.now ?? (() => new Date());
    if (!Number.isInteger(this.#concurrency) || this.#concurrency < 1) {
      throw new RangeError(`concurrency must be an integer >= 1, got ${this.#concurrency}`);
    }
  }

  async publish(messages: readonly TaskMessage[]): Promise<void> {
    this.#assertOpen();
    for (const { id, task, request_id } of messages) this.#ready.push({ message: { id, task, request_id }, attempt: 1 });
    this.#pump();
  }

  async consume(handler: TaskHandler): Promise<Consumer> {
    this.#assertOpen();
    const subscription: Subscription = { handler, inFlight: new Set() };
    this.#subscriptions.push(subscription);
    this.#pump();
    return { stop: () => this.#stop(subscription) };
  }

  async listDeadLetters(limit = 100): Promise<DeadLetter[]> {
    return this.#dead.slice(0, Math.max(0, limit)).map((letter) => ({ ...letter }));
  }

  async replayDeadLetters(ids: 'all' | readonly string[]): Promise<number> {
    this.#assertOpen();
    const wanted = ids === 'all' ? undefined : new Set(ids);
    const replayed = this.#dead.filter((letter) => wanted === undefined || wanted.has(letter.id));
    for (const letter of replayed) {
      this.#dead.splice(this.#dead.indexOf(letter), 1);
      this.#ready.push({ message: { id: letter.id, task: letter.task, request_id: letter.request_id }, attempt: 1 });
    }
    this.#pump();
    return replayed.length;
  }

  /** Stops the consumers, waiting for their handlers; queued messages and pending retries are dropped. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      const dropped = this.#ready.length + this.#timers.size;
      if (dropped > 0) this.options.logger?.warn({ dropped }, 'in-process task queue closed with tasks pending');
      for (const cancel of this.#timers) cancel();
      this.#timers.clear();
      await Promise.all([...this.#subscriptions].map((subscription) => this.#stop(subscription)));
    })();
    return this.#closing;
  }

  #assertOpen(): void {
    if (this.#closing !== undefined) throw new Error('InProcessTaskQueue is closed');
  }

  async #stop(subscription: Subscription): Promise<void> {
    const index = this.#subscriptions.indexOf(subscription);
    if (index >= 0) this.#subscriptions.splice(index, 1);
    await Promise.allSettled([...subscription.inFlight]);
  }

  /** Hands ready messages to the first subscriptions with room, like a prefetch per consumer. */
  #pump(): void {
    for (const subscription of this.#subscriptions) {
      while (subscription.inFlight.size < this.#concurrency && this.#ready.length > 0) {
        const entry = this.#ready.shift() as Entry;
        const work = this.#deliver(subscription.handler, entry).finally(() => {
          subscription.inFlight.delete(work);
          this.#pump();
        });
        subscription.inFlight.add(work);
      }
    }
  }

  async #deliver(handler: TaskHandler, entry: Entry): Promise<void> {
    const maxAttempts = this.#delays.length + 1;
    const delivery: Delivery = { ...entry.message, attempt: entry.attempt, maxAttempts };
    const outcome = await runHandler(handler, delivery);
    if (outcome.type === 'done') return;
    const fields = { task_id: delivery.id, attempt: delivery.attempt, reason: outcome.reason, request_id: delivery.request_id };
    const delayMs = this.#delays[entry.attempt - 1];
    if (delayMs === undefined) {
      this.options.logger?.error(fields, 'task dead-lettered after its last attempt');
      this.#dead.push({ ...entry.message, attempts: entry.attempt, reason: outcome.reason, dead_at: this.#now() });
      return;
    }
    // Closing drops pending retries anyway (nothing here is durable); a timer now would outlive close().
    if (this.#closing !== undefined) return;
    this.options.logger?.warn({ ...fields, delay_ms: delayMs }, 'task will be retried');
    const cancel = this.#schedule(() => {
      this.#timers.delete(cancel);
      this.#ready.push({ message: entry.message, attempt: entry.attempt + 1 });
      this.#pump();
    }, delayMs);
    this.#timers.add(cancel);
  }
}

async function runHandler(handler: TaskHandler, delivery: Delivery): Promise<TaskOutcome> {
  try {
    // Called on a later tick so a handler never runs inside publish() or consume().
    await Promise.resolve();
    return await handler(delivery);
  } catch (error) {
    return { type: 'retry', reason: error instanceof Error ? error.message : String(error) };
  }
}
