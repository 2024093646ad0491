import type { Message } from 'amqplib';
import { describe, expect, it } from 'vitest';
import { decodeDeadLetter, decodeTask, encodeTask } from '../../../src/adapters/amqp/message-codec.js';
import { aTaskMessage } from '../../support/mothers.js';

const route = { exchange: 'x', routingKey: 'task' };

/** A received message as amqplib hands it over. */
const received = (content: string | Buffer, headers?: Record<string, unknown>): Message =>
  ({
    content: Buffer.isBuffer(content) ? content : Buffer.from(content),
    fields: { deliveryTag: 1, redelivered: false, exchange: 'x', routingKey: 'task' },
    properties: { headers },
  }) as unknown as Message;

const body = JSON.stringify({ id: 'a', task: { type: 'object.delete', key: 'k' } });

describe('message codec', () => {
  it('round-trips a task with its attempt, id, request id and persistence', () => {
    const message = aTaskMessage();
    const encoded = encodeTask(route, message, 3);
    expect(encoded.options).toMatchObject({ persistent: true, messageId: message.id, type: 'image.process' });
    expect(encoded.options.headers).toEqual({ 'x-attempt': 3, 'x-request-id': message.request_id });
    expect(decodeTask(received(encoded.content, encoded.options.headers))).toEqual({ message, attempt: 3 });
  });

  it('carries the traceparent in the W3C header, not the body, and reads it back', () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const message = aTaskMessage({ traceparent });
    const encoded = encodeTask(route, message, 1);
    expect(encoded.options.headers).toMatchObject({ traceparent });
    expect(JSON.parse(encoded.content.toString())).not.toHaveProperty('traceparent');
    expect(decodeTask(received(encoded.content, encoded.options.headers))).toEqual({ message, attempt: 1 });
    expect(decodeTask(received(encoded.content, { traceparent: 7 }))?.message).not.toHaveProperty('traceparent');
  });

  it('reads attempt 1 when the header is missing or not a positive integer', () => {
    expect(decodeTask(received(body))?.attempt).toBe(1);
    expect(decodeTask(received(body, { 'x-attempt': 0 }))?.attempt).toBe(1);
    expect(decodeTask(received(body, { 'x-attempt': '2' }))?.attempt).toBe(1);
  });

  it.each([
    ['not JSON', 'nope'],
    ['a JSON scalar', '42'],
    ['null', 'null'],
    ['no id', JSON.stringify({ task: { type: 'object.delete' } })],
    ['no task', JSON.stringify({ id: 'a' })],
    ['a task without a type', JSON.stringify({ id: 'a', task: { key: 'k' } })],
  ])('refuses a body that is %s', (_what, content) => {
    expect(decodeTask(received(content))).toBeNull();
    expect(decodeDeadLetter(received(content))).toBeNull();
  });

  it('reads the reason and time the broker recorded when it dead-lettered the message', () => {
    const letter = decodeDeadLetter(
      received(body, {
        'x-attempt': 2,
        'x-death': [{ reason: 'delivery_limit', time: { '!': 'timestamp', value: 1_700_000_000 } }],
      }),
    );
    expect(letter).toMatchObject({ id: 'a', attempts: 2, reason: 'delivery_limit', dead_at: new Date(1_700_000_000_000) });
    expect(decodeDeadLetter(received(body, { 'x-death': [{ reason: 'expired', time: 1_700_000_000 }] }))?.dead_at).toEqual(
      new Date(1_700_000_000_000),
    );
  });

  it('falls back to an unknown reason and the epoch when nothing says why or when', () => {
    expect(decodeDeadLetter(received(body))).toMatchObject({ attempts: 1, reason: 'unknown', dead_at: new Date(0) });
    const odd = decodeDeadLetter(received(body, { 'x-reason': 7, 'x-dead-at': {} }));
    expect(odd).toMatchObject({ reason: 'unknown', dead_at: new Date(0) });
  });
});
