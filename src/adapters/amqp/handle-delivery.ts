import type { Message } from 'amqplib';
import type { Delivery, TaskHandler, TaskOutcome } from '../../application/ports/task-queue.js';
import type { AmqpLogger } from './amqp-settings.js';
import { decodeTask, encodeTask, HEADERS, type OutgoingMessage } from './message-codec.js';
import type { TopologyNames } from './topology.js';

/** What settling one delivery needs; `settle` acks, or nacks with or without requeue. */
export interface DeliveryContext {
  readonly handler: TaskHandler;
  readonly names: TopologyNames;
  readonly retryDelaysMs: readonly number[];
  readonly publish: (messages: readonly OutgoingMessage[]) => Promise<void>;
  readonly settle: (message: Message, how: 'ack' | 'requeue' | 'reject') => void;
  readonly logger: AmqpLogger | undefined;
}

/**
 * Runs the handler and settles the delivery exactly once. A retry is published (and confirmed)
 * to its wait queue, or to the DLQ after the last attempt, before the ack: a crash in between
 * duplicates the message rather than losing it, and handlers are idempotent.
 */
export async function handleDelivery(context: DeliveryContext, message: Message): Promise<void> {
  const decoded = decodeTask(message);
  if (decoded === null) {
    // Nothing can handle it; rejecting lets the broker dead-letter it for a person to inspect.
    context.logger?.error({ message_id: message.properties.messageId }, 'malformed task message dead-lettered');
    context.settle(message, 'reject');
    return;
  }
  const delivery: Delivery = {
    ...decoded.message,
    attempt: decoded.attempt,
    maxAttempts: context.retryDelaysMs.length + 1,
  };
  const outcome = await runHandler(context.handler, delivery);
  try {
    if (outcome.type === 'retry') await context.publish([retryMessage(context, delivery, outcome.reason)]);
    context.settle(message, 'ack');
  } catch (error) {
    // Usually the connection is gone and the broker requeues the delivery by itself; otherwise
    // requeue it so it is not stuck unacknowledged on a live channel.
    context.logger?.error({ err: error, ...fields(delivery) }, 'task retry not published; requeueing');
    context.settle(message, 'requeue');
  }
}

async function runHandler(handler: TaskHandler, delivery: Delivery): Promise<TaskOutcome> {
  try {
    return await handler(delivery);
  } catch (error) {
    return { type: 'retry', reason: error instanceof Error ? error.message : String(error) };
  }
}

function retryMessage(context: DeliveryContext, delivery: Delivery, reason: string): OutgoingMessage {
  const { names, retryDelaysMs, logger } = context;
  const delayMs = retryDelaysMs[delivery.attempt - 1];
  if (delayMs !== undefined && delivery.attempt < delivery.maxAttempts) {
    logger?.warn({ ...fields(delivery), reason, delay_ms: delayMs }, 'task will be retried');
    const route = { exchange: '', routingKey: names.waitQueue(delayMs) };
    return encodeTask(route, delivery, delivery.attempt + 1);
  }
  logger?.error({ ...fields(delivery), reason }, 'task dead-lettered after its last attempt');
  return encodeTask({ exchange: names.deadExchange, routingKey: '' }, delivery, delivery.attempt, {
    [HEADERS.reason]: reason,
    [HEADERS.attempts]: delivery.attempt,
    [HEADERS.deadAt]: new Date().toISOString(),
  });
}

const fields = (delivery: Delivery) => ({
  task_id: delivery.id,
  task_type: delivery.task.type,
  attempt: delivery.attempt,
  request_id: delivery.request_id,
});
