import { describe, expect, it } from 'vitest';
import { describeError } from '../../../src/adapters/postgres/describe-error.js';
import { pgErrorOf, violates } from '../../../src/adapters/postgres/pg-error.js';

const withFields = (message: string, fields: object, cause?: unknown) =>
  Object.assign(new Error(message, cause === undefined ? undefined : { cause }), fields);

// Pure helpers of the adapter; the integration suites reach them through real driver errors.
describe('pgErrorOf', () => {
  it('reads postgres.js errors behind a wrapper', () => {
    const driver = withFields('insert failed', { code: '23503', constraint_name: 'products_user_id_users_id_fk' });
    expect(pgErrorOf(new Error('Failed query', { cause: driver }))).toEqual({ code: '23503', constraint: 'products_user_id_users_id_fk' });
  });

  it('reads PGlite errors, which name the constraint differently', () => {
    expect(pgErrorOf(withFields('dup', { code: '23505', constraint: 'users_email_lower_key' }))).toEqual({
      code: '23505',
      constraint: 'users_email_lower_key',
    });
  });

  it('reports no constraint when the error has none', () => {
    expect(pgErrorOf(withFields('syntax', { code: '42601' }))).toEqual({ code: '42601', constraint: undefined });
  });

  it('ignores system error codes and non-errors', () => {
    expect(pgErrorOf(withFields('refused', { code: 'ECONNREFUSED' }))).toBeUndefined();
    expect(pgErrorOf(new Error('wrapped', { cause: 'a string' }))).toBeUndefined();
    expect(pgErrorOf(undefined)).toBeUndefined();
  });

  it('matches code and constraint together', () => {
    const error = withFields('dup', { code: '23505', constraint: 'users_email_lower_key' });
    expect(violates(error, '23505', 'users_email_lower_key')).toBe(true);
    expect(violates(error, '23505', 'another_key')).toBe(false);
    expect(violates(error, '23503', 'users_email_lower_key')).toBe(false);
  });
});

describe('describeError', () => {
  it('prefers the message', () => {
    expect(describeError(new Error('connect ECONNREFUSED 127.0.0.1:1'))).toBe('connect ECONNREFUSED 127.0.0.1:1');
  });

  it('lists the inner errors of an AggregateError without a message', () => {
    expect(describeError(new AggregateError([new Error('::1 refused'), new Error('127.0.0.1 refused')]))).toBe(
      '::1 refused; 127.0.0.1 refused',
    );
  });

  it('names errors that carry only a name and a number, as PGlite file errors do', () => {
    expect(describeError({ name: 'ErrnoError', errno: 54 })).toBe('ErrnoError 54');
    expect(describeError(withFields('', { code: 'ETIMEDOUT' }))).toBe('Error ETIMEDOUT');
  });

  it('falls back to JSON or text', () => {
    expect(describeError({ reason: 'odd' })).toBe('{"reason":"odd"}');
    expect(describeError('plain text')).toBe('plain text');
  });
});
