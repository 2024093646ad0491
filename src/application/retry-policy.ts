import type { Logger } from './ports/logger.js';
import type { PipelineMetrics } from './ports/metrics.js';
import type { ReceivedTask, Settlement, SettleTask } from './ports/task-consumer.js';
import type { Delivery, TaskHandler, TaskOutcome } from './task-handler.js';

/** 1 s, 5 s, 30 s, 2 min: five attempts spread over about 2.5 minutes. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1_000, 5_000, 30_000, 120_000];

/** When a failed task is tried again: the wait before each retry; attempts allowed = delays + 1. */
export interface RetryPolicy {
  readonly delaysMs: readonly number[];
  readonly maxAttempts: number;
}

/** A policy from its delays; throws a RangeError on a delay that is not a positive integer. */
export function retryPolicy(delaysMs: readonly number[] = DEFAULT_RETRY_DELAYS_MS): RetryPolicy {
  for (const delay of delaysMs) {
    if (!Number.isInteger(delay) || delay < 1) throw new RangeError(`retry delays must be integers >= 1 ms, got ${delay}`);
  }
  return { delaysMs: [...delaysMs], maxAttempts: delaysMs.length + 1 };
}

/**
 * The settlement of `outcome` at `attempt`: another attempt after its delay, or the dead letters
 * after the last; a deferral, the same attempt again after the shortest delay.
 */
export function settle(policy: RetryPolicy, attempt: number, outcome: TaskOutcome): Settlement {
  if (outcome.type === 'done') return { type: 'ack' };
  // A deferral comes back as the same attempt after the shortest retry delay, whose wait queue
  // every transport has; a policy without retries has no delay to wait, so it counts as one.
  if (outcome.type === 'defer' && policy.delaysMs.length > 0) return { type: 'retry', attempt, delayMs: Math.min(...policy.delaysMs), reason: outcome.reason };
  const delayMs = policy.delaysMs[attempt - 1];
  if (delayMs === undefined || attempt >= policy.maxAttempts) return { type: 'dead', attempts: attempt, reason: outcome.reason };
  return { type: 'retry', attempt: attempt + 1, delayMs, reason: outcome.reason };
}

async function run(handler: TaskHandler, delivery: Delivery): Promise<TaskOutcome> {
  try {
    return await handler(delivery);
  } catch (error) {
    return { type: 'retry', reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The retry policy around a use case's handler, as a queue consumer calls it: a thrown error
 * counts as a retry with its message, a retry on the last attempt dead-letters the message, and
 * each decision is logged with the task's ids (and a dead letter counted in `metrics`). Never rejects.
 */
export function withRetryPolicy(
  policy: RetryPolicy,
  handler: TaskHandler,
  logger?: Pick<Logger, 'warn' | 'error'>,
  metrics?: Pick<PipelineMetrics, 'observeDeadLetter'>,
): SettleTask {
  return async (task: ReceivedTask) => {
    const delivery: Delivery = {
      id: task.id,
      task: task.task,
      request_id: task.request_id,
      ...(task.traceparent !== undefined && { traceparent: task.traceparent }),
      attempt: task.attempt,
      maxAttempts: policy.maxAttempts,
    };
    const outcome = await run(handler, delivery);
    const settlement = settle(policy, task.attempt, outcome);
    const fields = { task_id: task.id, task_type: task.task.type, attempt: task.attempt, request_id: task.request_id };
    // A deferral is routine (the use case logs what it deferred and why), not a failure to warn about.
    if (settlement.type === 'retry' && outcome.type !== 'defer') logger?.warn({ ...fields, reason: settlement.reason, delay_ms: settlement.delayMs }, 'task will be retried');
    if (settlement.type === 'dead') {
      logger?.error({ ...fields, reason: settlement.reason }, 'task dead-lettered after its last attempt');
      metrics?.observeDeadLetter(task.task.type);
    }
    return settlement;
  };
}
