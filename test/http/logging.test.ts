import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { httpLogger } from '../../src/adapters/http/log-redaction.js';
import { redactUrlPasswords } from '../../src/application/index.js';
import { fieldErrorsOf, joinPath } from '../../src/adapters/http/validation-hook.js';
import { z } from 'zod';

const capture = () => {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: httpLogger(pino({}, stream)) };
};

describe('httpLogger', () => {
  it('censors authorization and cookie headers, also in per-request children', () => {
    const { lines, logger } = capture();
    logger.child({ request_id: 'r1' }).info({ req: { headers: { authorization: 'Bearer abc', cookie: 's=1', accept: '*/*' } } }, 'm');
    expect(lines[0]).toMatchObject({ request_id: 'r1', req: { headers: { authorization: '[redacted]', cookie: '[redacted]', accept: '*/*' } } });
  });

  it('serializes errors with their stack, URL passwords redacted; other values pass through', () => {
    const { lines, logger } = capture();
    logger.error({ err: new Error('fail https://u:p4ss@host/x') }, 'e');
    logger.error({ err: 'just text' }, 'e');
    expect(lines[0]?.err).toMatchObject({ type: 'Error', message: 'fail https://u:[redacted]@host/x' });
    expect(JSON.stringify(lines[0])).not.toContain('p4ss');
    expect(lines[1]?.err).toBe('just text');
  });

  it('keeps the bound values and PostgreSQL details of a failed query out of the line', () => {
    const { lines, logger } = capture();
    const driver = Object.assign(new Error('duplicate key value violates unique constraint "users_email_lower_key"'), {
      code: '23505',
      detail: 'Key (lower(email))=(ada@example.com) already exists.',
      constraint_name: 'users_email_lower_key',
    });
    const query = Object.assign(new Error('Failed query: insert into "users" ("name", "email") values ($1, $2)\nparams: Ada,ada@example.com'), {
      query: 'insert into "users" ("name", "email") values ($1, $2)',
      params: ['Ada', 'ada@example.com'],
      cause: driver,
    });
    logger.error({ err: query }, 'request completed');
    const line = JSON.stringify(lines[0]);
    expect(line).not.toContain('ada@example.com');
    expect(lines[0]?.err).toMatchObject({ message: expect.stringContaining('params: [redacted]'), query: expect.stringContaining('insert into "users"') });
    expect(line).toContain('users_email_lower_key');
  });
});

describe('redactUrlPasswords', () => {
  it.each([
    ['postgres://app:secret@db:5432/x', 'postgres://app:[redacted]@db:5432/x'],
    ['redis://:secret@cache:6379', 'redis://:[redacted]@cache:6379'],
    ['two amqp://a:b@h and s3://c:d@e', 'two amqp://a:[redacted]@h and s3://c:[redacted]@e'],
    ['no password https://user@host/p', 'no password https://user@host/p'],
    ['plain text', 'plain text'],
  ])('%s', (input, output) => {
    expect(redactUrlPasswords(input)).toBe(output);
  });
});

describe('validation paths', () => {
  it('joins keys with dots and indexes with brackets, like the domain', () => {
    expect(joinPath(['product_images', 2])).toBe('product_images[2]');
    expect(joinPath(['a', 'b', 0, 'c'])).toBe('a.b[0].c');
    expect(joinPath([])).toBe('');
  });

  it('names every unknown key at its own path', () => {
    const result = z.strictObject({ a: z.strictObject({}) }).safeParse({ a: { x: 1 }, y: 2 });
    expect(result.success).toBe(false);
    expect(result.error && fieldErrorsOf(result.error)).toEqual([
      { path: 'a.x', message: 'is not an accepted field' },
      { path: 'y', message: 'is not an accepted field' },
    ]);
  });
});
