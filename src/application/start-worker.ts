import type { WorkerDeps } from './deps.js';
import { handleTask } from './handle-task.js';
import { startOutboxRelay, type OutboxRelayOptions } from './outbox-relay.js';
import { withRetryPolicy } from './retry-policy.js';

/** How the relay that feeds the worker polls and backs off. */
export type WorkerOptions = OutboxRelayOptions;

export interface RunningWorker {
  /** Stops relaying, then lets the jobs in flight finish. */
  stop(): Promise<void>;
}

/**
 * The image worker: consumes tasks under the retry policy and relays the outbox to the queue.
 * With a queue whose jobs die with the process, unfinished images are queued again first.
 */
export async function startWorker(deps: WorkerDeps, options: WorkerOptions = {}): Promise<RunningWorker> {
  if (deps.recovery) {
    const requeued = await deps.recovery.requeueUnfinished();
    if (requeued > 0) deps.logger.info({ requeued }, 'unfinished images queued again');
  }
  const consumer = await deps.consumer.consume(withRetryPolicy(deps.retry, handleTask(deps), deps.logger, deps.metrics));
  try {
    const relay = await startOutboxRelay(deps, options);
    return {
      async stop() {
        await relay.stop();
        await consumer.stop();
      },
    };
  } catch (error) {
    await consumer.stop();
    throw error;
  }
}
