/** Work the pipeline does after a commit; messages carry ids, never data. */
export type Task =
  | { readonly type: 'image.process'; readonly product_id: number; readonly image_id: number; readonly version: number }
  | { readonly type: 'object.delete'; readonly key: string };

export interface TaskMessage {
  /** Unique and stable across redeliveries and replays (the outbox row id). */
  readonly id: string;
  readonly task: Task;
  /** Request id of the HTTP call that caused the task, for logs. */
  readonly request_id?: string | undefined;
}

export interface Delivery extends TaskMessage {
  /** 1 on the first delivery; counts retries, not crash redeliveries. */
  readonly attempt: number;
  /** Attempts allowed before the message is dead-lettered. */
  readonly maxAttempts: number;
}

/** `retry` on the last attempt dead-letters the message with the reason. */
export type TaskOutcome = { readonly type: 'done' } | { readonly type: 'retry'; readonly reason: string };

/** Handles one delivery; a thrown error counts as `retry` with its message. */
export type TaskHandler = (delivery: Delivery) => Promise<TaskOutcome>;

export interface DeadLetter extends TaskMessage {
  readonly attempts: number;
  readonly reason: string;
  readonly dead_at: Date;
}

export interface Consumer {
  /** Takes no new deliveries and resolves once the in-flight ones are settled. */
  stop(): Promise<void>;
}

/** Durable task delivery with retries, backoff and a dead-letter queue. */
export interface TaskQueue {
  /** Resolves once every message is durably accepted (publisher confirms); rejects otherwise. */
  publish(messages: readonly TaskMessage[]): Promise<void>;
  /** Starts delivering to `handler`, at most the configured number at once. */
  consume(handler: TaskHandler): Promise<Consumer>;
  /** Dead letters, oldest first, at most `limit`. Listing does not remove them. */
  listDeadLetters(limit?: number): Promise<DeadLetter[]>;
  /** Sends dead letters back to the work queue with a fresh attempt count; returns how many. */
  replayDeadLetters(ids: 'all' | readonly string[]): Promise<number>;
}
