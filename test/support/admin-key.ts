/** The admin key (ADMIN_API_KEY) every test app and spawned service accepts; a test, not a secret. */
export const TEST_ADMIN_KEY = 'test-admin-key-0123456789abcdef0123456789abcdef';

/** The Authorization header of the test admin key. */
export const ADMIN_AUTHORIZATION = { authorization: `Bearer ${TEST_ADMIN_KEY}` } as const;

/**
 * `init` with the test admin key's Authorization unless it sets its own; an empty Authorization
 * (`{ authorization: '' }`) sends none, for the anonymous cases.
 */
export function withAdminKey(init: RequestInit = {}): RequestInit {
  const headers = new Headers(init.headers);
  if (!headers.has('authorization')) headers.set('authorization', ADMIN_AUTHORIZATION.authorization);
  else if (headers.get('authorization') === '') headers.delete('authorization');
  return { ...init, headers };
}

type Requester = { request(input: string | URL | Request, init?: RequestInit, ...rest: never[]): Response | Promise<Response> };

/**
 * Makes `app.request()` send the test admin key unless a request says otherwise (withAdminKey),
 * so the tests written before API keys keep their meaning. `app.fetch` is left as it is.
 */
export function sendingAdminKey<A extends Requester>(app: A): A {
  const request = app.request.bind(app);
  app.request = (input, init, ...rest) =>
    input instanceof Request && init === undefined
      ? request(new Request(input, withAdminKey({ headers: input.headers })), undefined, ...rest)
      : request(input, withAdminKey(init), ...rest);
  return app;
}
