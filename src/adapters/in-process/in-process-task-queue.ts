import type { DeadLetter, DeadLetters } from '../../application/ports/dead-letters.js';
import type { Logger } from '../../application/ports/logger.js';
import { queueSamples } from '../../application/metric-samples.js';
import type { MetricSample, MetricsSource } from '../../application/ports/metrics.js';
import type { Consumer, ReceivedTask, Settlement, SettleTask, TaskConsumer } from '../../application/ports/task-consumer.js';
import type { TaskPublisher } from '../../application/ports/task-publisher.js';
import type { TaskMessage } from '../../application/tasks.js';

/** Runs `run` after `delayMs`; returns a function that cancels it. */
export type RetryScheduler = (run: () => void, delayMs: number) => () => void;

/** Concurrency, clock and scheduler; tests inject the last two. */
export interface InProcessTaskQueueOptions {
  /** Deliveries handled at once per consumer (default 2). */
  readonly concurrency?: number;
  /** Defaults to an unref'd setTimeout, so pending retries never keep the process alive. */
  readonly schedule?: RetryScheduler;
  readonly now?: () => Date;
  readonly logger?: Pick<Logger, 'warn' | 'error'>;
  /**
   * Dead letters kept (default 10,000); past it the oldest go, with a warning. They are a replay
   * list only: the image rows already record every failure, and nothing here outlives the process.
   */
  readonly maxDeadLetters?: number;
}

interface Subscription {
  readonly settle: SettleTask;
  readonly inFlight: Set<Promise<void>>;
}

// Node's timers run on a monotonic clock rounded to the millisecond and may fire one before the
// wall clock agrees: a retry is never delivered before its delay by Date.now(), as a broker's TTL.
const unrefTimeout: RetryScheduler = (run, delayMs) => {
  const dueAt = Date.now() + delayMs;
  let timer: ReturnType<typeof setTimeout>;
  const arm = (ms: number) => {
    timer = setTimeout(() => {
      const left = dueAt - Date.now();
      if (left > 0) arm(left);
      else run();
    }, ms);
    timer.unref();
  };
  arm(delayMs);
  return () => clearTimeout(timer);
};

// The envelope: what a broker would carry in the body and headers, and nothing of a settlement.
const plain = ({ id, task, request_id, traceparent }: TaskMessage): TaskMessage => ({ id, task, request_id, ...(traceparent !== undefined && { traceparent }) });

/**
 * The embedded task queue: publisher, consumer and dead letters in memory, carrying out the
 * settlements the retry policy decides (delayed redelivery on the injected scheduler). Nothing
 * survives the process: publish resolves once the message is queued in memory.
 */
export class InProcessTaskQueue implements TaskPublisher, TaskConsumer, DeadLetters, MetricsSource {
  readonly #ready: ReceivedTask[] = [];
  readonly #subscriptions: Subscription[] = [];
  readonly #timers = new Set<() => void>();
  readonly #dead: DeadLetter[] = [];
  readonly #concurrency: number;
  readonly #schedule: RetryScheduler;
  readonly #now: () => Date;
  readonly #maxDead: number;
  #closing: Promise<void> | undefined;

  constructor(private readonly options: InProcessTaskQueueOptions = {}) {
    this.#concurrency = options.concurrency ?? 2;
    this.#schedule = options.schedule ?? unrefTimeout;
    this.#now = options.now ?? (() => new Date());
    this.#maxDead = options.maxDeadLetters ?? 10_000;
    if (!Number.isInteger(this.#concurrency) || this.#concurrency < 1) {
      throw new RangeError(`concurrency must be an integer >= 1, got ${this.#concurrency}`);
    }
  }

  async publish(messages: readonly TaskMessage[]): Promise<void> {
    this.#assertOpen();
    for (const message of messages) {
      if (message.retry === undefined) this.#ready.push({ ...plain(message), attempt: 1 });
      else this.#later({ ...plain(message), attempt: message.retry.attempt }, message.retry.delayMs);
    }
    this.#pump();
  }

  async consume(settle: SettleTask): Promise<Consumer> {
    this.#assertOpen();
    const subscription: Subscription = { settle, inFlight: new Set() };
    this.#subscriptions.push(subscription);
    this.#pump();
    return { stop: () => this.#stop(subscription) };
  }

  async list(limit: number): Promise<DeadLetter[]> {
    return this.#dead.slice(0, Math.max(0, limit)).map((letter) => ({ ...letter }));
  }

  async replay(ids: 'all' | readonly string[]): Promise<number> {
    this.#assertOpen();
    const wanted = ids === 'all' ? undefined : new Set(ids);
    const replayed = this.#dead.filter((letter) => wanted === undefined || wanted.has(letter.id));
    for (const letter of replayed) {
      this.#dead.splice(this.#dead.indexOf(letter), 1);
      this.#ready.push({ ...plain(letter), attempt: 1 });
    }
    this.#pump();
    return replayed.length;
  }

  /** Its own figures, under the names the broker's queue reports: ready, waiting a retry, dead; consumers. */
  metrics(): MetricSample[] {
    const consumers = this.#subscriptions.length;
    return queueSamples([
      { queue: 'work', messages: this.#ready.length, consumers },
      { queue: 'retry', messages: this.#timers.size, consumers: 0 },
      { queue: 'dead', messages: this.#dead.length, consumers: 0 },
    ]);
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
        const task = this.#ready.shift() as ReceivedTask;
        const work = this.#deliver(subscription.settle, task).finally(() => {
          subscription.inFlight.delete(work);
          this.#pump();
        });
        subscription.inFlight.add(work);
      }
    }
  }

  async #deliver(settle: SettleTask, task: ReceivedTask): Promise<void> {
    this.#carryOut(task, await settleSafely(settle, task));
  }

  #carryOut(task: ReceivedTask, settlement: Settlement): void {
    if (settlement.type === 'ack') return;
    if (settlement.type === 'dead') {
      this.#dead.push({ ...plain(task), attempts: settlement.attempts, reason: settlement.reason, dead_at: this.#now() });
      if (this.#dead.length > this.#maxDead) {
        const [dropped] = this.#dead.splice(0, 1);
        this.options.logger?.warn({ task_id: dropped?.id, kept: this.#maxDead }, 'in-process dead letters full: the oldest was dropped');
      }
      return;
    }
    this.#later({ ...plain(task), attempt: settlement.attempt }, settlement.delayMs);
  }

  /** Queues `task` after `delayMs`, as a retry waits. */
  #later(task: ReceivedTask, delayMs: number): void {
    // Closing drops pending retries anyway (nothing here is durable); a timer now would outlive close().
    if (this.#closing !== undefined) return;
    const cancel = this.#schedule(() => {
      this.#timers.delete(cancel);
      this.#ready.push(task);
      this.#pump();
    }, delayMs);
    this.#timers.add(cancel);
  }
}

async function settleSafely(settle: SettleTask, task: ReceivedTask): Promise<Settlement> {
  try {
    // Called on a later tick so a handler never runs inside publish() or consume().
    await Promise.resolve();
    return await settle(task);
  } catch (error) {
    // A settle that throws is a bug; dead-lettering keeps the message without looping on it.
    return { type: 'dead', attempts: task.attempt, reason: `settling failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
