import { HTTPException } from 'hono/http-exception';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createRouter } from '../../src/adapters/http/create-router.js';
import { errorHandler } from '../../src/adapters/http/error-handler.js';
import { ProblemError, statusOf } from '../../src/adapters/http/problem.js';
import { requestContext } from '../../src/adapters/http/request-context.js';

/** A bare app whose one route throws `error`, with the real context and error handler. */
const throwing = (error: Error) => {
  const app = createRouter();
  app.use(requestContext(pino({ level: 'silent' })));
  app.get('/boom', () => {
    throw error;
  });
  app.onError(errorHandler);
  return app;
};

describe('errorHandler', () => {
  it.each([
    [new HTTPException(415, { message: 'Unsupported Media Type' }), 415, 'request.unsupported_media_type'],
    [new HTTPException(413, { message: 'Payload Too Large' }), 413, 'request.too_large'],
    [new HTTPException(400, { message: 'Malformed JSON in request body' }), 400, 'request.malformed_json'],
    [new HTTPException(418, { message: 'teapot internals' }), 500, 'internal'],
    [new TypeError('x is undefined'), 500, 'internal'],
  ])('maps %s to %i %s', async (error, status, code) => {
    const response = await throwing(error).request('/boom');
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ status, code, type: `/problems/${code}`, instance: '/boom' });
  });

  it('renders a ProblemError with its field errors and extensions', async () => {
    const problem = new ProblemError('validation.failed', 'Bad.', [{ path: 'a', message: 'b' }], { hint: 'h' });
    const response = await throwing(problem).request('/boom');
    expect(await response.json()).toMatchObject({ status: 400, detail: 'Bad.', errors: [{ path: 'a', message: 'b' }], hint: 'h' });
  });
});

describe('statusOf', () => {
  it('is the table status, except 422 for a not_found naming body fields', () => {
    expect(statusOf('user.not_found')).toBe(404);
    expect(statusOf('user.not_found', [])).toBe(404);
    expect(statusOf('user.not_found', [{ path: 'user_id', message: 'does not exist' }])).toBe(422);
    expect(statusOf('validation.failed', [{ path: 'a', message: 'b' }])).toBe(400);
  });
});
