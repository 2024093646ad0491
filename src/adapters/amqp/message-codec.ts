import type { Message, Options } from 'amqplib';
import type { DeadLetter } from '../../application/ports/dead-letters.js';
import type { TaskMessage } from '../../application/tasks.js';

/** A message ready for `ConfirmChannel.publish`. */
export interface OutgoingMessage {
  readonly exchange: string;
  readonly routingKey: string;
  readonly content: Buffer;
  readonly options: Options.Publish;
}

/**
 * Header names; `x-reason`, `x-attempts` and `x-dead-at` are only on dead letters we wrote.
 * `traceparent` is the W3C name, as the trace-context AMQP binding spells it.
 */
export const HEADERS = {
  attempt: 'x-attempt',
  requestId: 'x-request-id',
  traceparent: 'traceparent',
  reason: 'x-reason',
  attempts: 'x-attempts',
  deadAt: 'x-dead-at',
} as const;

/** A persistent JSON message for `message` at `attempt`; the body carries ids only, as the task does. */
export function encodeTask(
  route: { exchange: string; routingKey: string },
  message: TaskMessage,
  attempt: number,
  headers: Record<string, string | number> = {},
): OutgoingMessage {
  const body: TaskMessage = { id: message.id, task: message.task, request_id: message.request_id };
  return {
    ...route,
    content: Buffer.from(JSON.stringify(body)),
    options: {
      persistent: true,
      messageId: message.id,
      contentType: 'application/json',
      type: message.task.type,
      headers: {
        [HEADERS.attempt]: attempt,
        ...(message.request_id === undefined ? {} : { [HEADERS.requestId]: message.request_id }),
        ...(message.traceparent === undefined ? {} : { [HEADERS.traceparent]: message.traceparent }),
        ...headers,
      },
    },
  };
}

/** The task and its attempt, or null when the body is not a task message (nothing can handle it). */
export function decodeTask(message: Message): { message: TaskMessage; attempt: number } | null {
  const body = parseBody(message.content);
  if (body === null) return null;
  const attempt = positiveInteger(header(message, HEADERS.attempt)) ?? 1;
  const traceparent = header(message, HEADERS.traceparent);
  return { message: typeof traceparent === 'string' ? { ...body, traceparent } : body, attempt };
}

/** A dead letter from the DLQ: ours carry `x-reason`; the broker's (delivery_limit) carry `x-death`. */
export function decodeDeadLetter(message: Message): DeadLetter | null {
  const decoded = decodeTask(message);
  if (decoded === null) return null;
  const [death] = (header(message, 'x-death') as Array<Record<string, unknown>> | undefined) ?? [];
  const reason = header(message, HEADERS.reason) ?? death?.reason;
  const deadAt = header(message, HEADERS.deadAt) ?? death?.time;
  return {
    ...decoded.message,
    attempts: positiveInteger(header(message, HEADERS.attempts)) ?? decoded.attempt,
    reason: typeof reason === 'string' ? reason : 'unknown',
    dead_at: toDate(deadAt),
  };
}

const header = (message: Message, name: string): unknown => message.properties.headers?.[name];

const positiveInteger = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : undefined;

function parseBody(content: Buffer): TaskMessage | null {
  let body: unknown;
  try {
    body = JSON.parse(content.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof body !== 'object' || body === null) return null;
  const { id, task, request_id } = body as Record<string, unknown>;
  if (typeof id !== 'string' || typeof task !== 'object' || task === null) return null;
  if (typeof (task as { type?: unknown }).type !== 'string') return null;
  return { id, task: task as TaskMessage['task'], request_id: typeof request_id === 'string' ? request_id : undefined };
}

/** ISO strings (ours) or AMQP timestamps in seconds, which amqplib decodes as `{ '!': 'timestamp', value }`. */
function toDate(value: unknown): Date {
  if (typeof value === 'string') return new Date(value);
  const seconds = typeof value === 'object' && value !== null ? (value as { value?: unknown }).value : value;
  return new Date(typeof seconds === 'number' ? seconds * 1000 : 0);
}
