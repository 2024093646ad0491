import type { TaskMessage } from '../tasks.js';

/** Tasks written in the same transaction as the change that caused them, awaiting publication. */
export interface Outbox {
  /**
   * Claims up to `limit` unsent messages, skipping rows another relay holds, and passes them to
   * `publish`; they are marked sent only if it resolves, and stay for a later round if it throws.
   * Returns how many were sent.
   */
  relay(limit: number, publish: (messages: readonly TaskMessage[]) => Promise<void>): Promise<number>;
  /** Calls `listener` after messages are committed (LISTEN/NOTIFY); resolves to an unsubscribe. */
  onAdded(listener: () => void): Promise<() => Promise<void>>;
}
