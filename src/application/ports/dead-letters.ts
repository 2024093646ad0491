import type { TaskMessage } from '../tasks.js';

/** A message that exhausted its attempts (or that no handler could take), kept for an operator. */
export interface DeadLetter extends TaskMessage {
  readonly attempts: number;
  readonly reason: string;
  readonly dead_at: Date;
}

/** The operator's side of the task queue: inspect and re-drive dead letters. */
export interface DeadLetters {
  /** Dead letters, oldest first, at most `limit`. Listing does not remove them. */
  list(limit: number): Promise<DeadLetter[]>;
  /** Sends dead letters back to the work queue at attempt 1; returns how many. */
  replay(ids: 'all' | readonly string[]): Promise<number>;
}
