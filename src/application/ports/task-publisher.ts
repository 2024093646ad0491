import type { TaskMessage } from '../tasks.js';

/** The outbox relay's side of the task queue. */
export interface TaskPublisher {
  /** Resolves once every message is durably accepted (publisher confirms); rejects otherwise. */
  publish(messages: readonly TaskMessage[]): Promise<void>;
}
