import type { Message } from 'amqplib';
import type { ReceivedTask, Settlement, SettleTask } from '../../application/ports/task-consumer.js';
import type { AmqpLogger } from './amqp-settings.js';
import { decodeTask, encodeTask, HEADERS, type OutgoingMessage } from './message-codec.js';
import type { TopologyNames } from './topology.js';

/** What carrying out one delivery needs; `finish` acks, or nacks with or without requeue. */
export interface DeliveryContext {
  readonly settle: SettleTask;
  readonly names: TopologyNames;
  /** The delays that have a wait queue. */
  readonly waitDelaysMs: readonly number[];
  readonly publish: (messages: readonly OutgoingMessage[]) => Promise<void>;
  readonly finish: (message: Message, how: 'ack' | 'requeue' | 'reject') => void;
  readonly logger: AmqpLogger | undefined;
}

/**
 * The wait queue for `delayMs`: its own when declared, else the next longer one (or the longest),
 * so a policy asking for an undeclared delay still gets its retry, only later.
 */
export function waitDelayFor(declared: readonly number[], delayMs: number): number {
  const sorted = [...declared].sort((a, b) => a - b);
  return sorted.find((delay) => delay >= delayMs) ?? sorted[sorted.length - 1] ?? delayMs;
}

/**
 * Asks the policy how to settle the delivery and carries it out exactly once. A retry is published
 * (and confirmed) to its wait queue, a dead letter to the DLQ, before the ack: a crash in between
 * duplicates the message rather than losing it, and handlers are idempotent.
 */
export async function handleDelivery(context: DeliveryContext, message: Message): Promise<void> {
  const decoded = decodeTask(message);
  if (decoded === null) {
    // Nothing can handle it; rejecting lets the broker dead-letter it for a person to inspect.
    context.logger?.error({ message_id: message.properties.messageId }, 'malformed task message dead-lettered');
    context.finish(message, 'reject');
    return;
  }
  const task: ReceivedTask = { ...decoded.message, attempt: decoded.attempt };
  let settlement: Settlement;
  try {
    settlement = await context.settle(task);
  } catch (error) {
    // The policy never throws; if it does anyway, the broker's dead-lettering keeps the message.
    context.logger?.error({ err: error, task_id: task.id }, 'settling a task failed; dead-lettered');
    context.finish(message, 'reject');
    return;
  }
  try {
    const outgoing = carry(context, task, settlement);
    if (outgoing) await context.publish([outgoing]);
    context.finish(message, 'ack');
  } catch (error) {
    // Usually the connection is gone and the broker requeues the delivery by itself; otherwise
    // requeue it so it is not stuck unacknowledged on a live channel.
    context.logger?.error({ err: error, task_id: task.id, attempt: task.attempt }, 'task settlement not published; requeueing');
    context.finish(message, 'requeue');
  }
}

function carry(context: DeliveryContext, task: ReceivedTask, settlement: Settlement): OutgoingMessage | null {
  const { names } = context;
  if (settlement.type === 'ack') return null;
  if (settlement.type === 'retry') {
    const route = { exchange: '', routingKey: names.waitQueue(waitDelayFor(context.waitDelaysMs, settlement.delayMs)) };
    return encodeTask(route, task, settlement.attempt);
  }
  return encodeTask({ exchange: names.deadExchange, routingKey: '' }, task, settlement.attempts, {
    [HEADERS.reason]: settlement.reason,
    [HEADERS.attempts]: settlement.attempts,
    [HEADERS.deadAt]: new Date().toISOString(),
  });
}
