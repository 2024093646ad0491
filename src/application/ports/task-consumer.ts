import type { TaskMessage } from '../tasks.js';

/** A message as the transport hands it over, with the attempt it carries (1 at first). */
export interface ReceivedTask extends TaskMessage {
  readonly attempt: number;
}

/**
 * What the transport must do with a delivery, as the retry policy decided: forget it, deliver it
 * again as `attempt` after `delayMs`, or move it to the dead letters with its reason.
 */
export type Settlement =
  | { readonly type: 'ack' }
  | { readonly type: 'retry'; readonly attempt: number; readonly delayMs: number; readonly reason: string }
  | { readonly type: 'dead'; readonly attempts: number; readonly reason: string };

/** Decides a delivery's settlement; never rejects (see withRetryPolicy). */
export type SettleTask = (task: ReceivedTask) => Promise<Settlement>;

export interface Consumer {
  /** Takes no new deliveries and resolves once the in-flight ones are settled. */
  stop(): Promise<void>;
}

/**
 * The worker's side of the task queue: pure transport. It delivers each message at least once,
 * at most the configured number at once, and carries out the settlement; which failure is
 * retried, when and how often is the application's policy, not the adapter's. A `settle` that
 * rejects anyway (a bug) dead-letters the message: it is neither lost nor looped.
 */
export interface TaskConsumer {
  consume(settle: SettleTask): Promise<Consumer>;
}
