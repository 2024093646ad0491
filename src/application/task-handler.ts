import type { TaskMessage } from './tasks.js';

/** A task as a use case sees it: which attempt this is, and how many the policy allows. */
export interface Delivery extends TaskMessage {
  /** 1 on the first delivery; counts retries, not crash redeliveries. */
  readonly attempt: number;
  /** Attempts allowed before the message is dead-lettered. */
  readonly maxAttempts: number;
}

/**
 * `retry` asks for another attempt; on the last one the policy dead-letters the message instead.
 * `defer` asks for the same attempt again shortly: the task could not start (its endpoint is
 * busy), which is not a failure and uses up no attempt.
 */
export type TaskOutcome = { readonly type: 'done' } | { readonly type: 'retry'; readonly reason: string } | { readonly type: 'defer'; readonly reason: string };

/** Handles one delivery; a thrown error counts as `retry` with its message. */
export type TaskHandler = (delivery: Delivery) => Promise<TaskOutcome>;
