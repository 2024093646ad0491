import { describe, expect, it } from 'vitest';
import { aNewProduct, aNewUser } from '../../support/mothers.js';
import { appWith, withBrokenProducts, problemOf, type Http } from '../support/http-harness.js';

const MIB = 1024 * 1024;

/** A product body whose JSON text is exactly `bytes` long (padding in the description). */
const bodyOfSize = (userId: number, bytes: number): string => {
  const base = JSON.stringify(aNewProduct(userId, { product_description: '' }));
  return base.replace('"product_description":""', `"product_description":"${'x'.repeat(bytes - base.length)}"`);
};

export function errorsSuite(http: Http): void {
  describe('request and server errors', () => {
    it.each(['/products', '/users'])('malformed JSON on POST %s is 400 request.malformed_json', async (path) => {
      const response = await http.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"user_id": 1,' });
      const problem = await problemOf(response, 400, 'request.malformed_json');
      expect(problem.instance).toBe(path);
    });

    it.each(['/products/%2e%2e%2fusers', '/users/caf%C3%A9', '/products/1%2F2'])('a problem names the path as it was sent: %s', async (path) => {
      const response = await http.request(path);
      const problem = (await response.json()) as { instance: string };
      expect(response.status).toBe(404);
      expect(problem.instance).toBe(path);
    });

    it('an empty JSON body is malformed JSON', async () => {
      const response = await http.request('/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '' });
      await problemOf(response, 400, 'request.malformed_json');
    });

    it.each([
      ['text/plain', { 'content-type': 'text/plain' }],
      ['form data', { 'content-type': 'application/x-www-form-urlencoded' }],
      ['no content type', {}],
      // JSON-flavoured types promise semantics this API does not implement, and JSON is UTF-8.
      ['JSON merge patch', { 'content-type': 'application/merge-patch+json' }],
      ['JSON:API', { 'content-type': 'application/vnd.api+json' }],
      ['JSON in latin1', { 'content-type': 'application/json; charset=latin1' }],
      ['JSON with another parameter', { 'content-type': 'application/json; profile=x' }],
      ['a longer subtype', { 'content-type': 'application/jsonx' }],
    ])('%s is 415 request.unsupported_media_type', async (_name, headers: Record<string, string>) => {
      const user = await http.newUser();
      // Bytes, not a string: fetch would label a string body text/plain on its own.
      const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
      const response = await http.request('/products', { method: 'POST', headers, body: bytes(aNewProduct(user.id)) });
      await problemOf(response, 415, 'request.unsupported_media_type');
      const patch = await http.request('/products/1', { method: 'PATCH', headers, body: bytes({ product_price: 1 }) });
      await problemOf(patch, 415, 'request.unsupported_media_type');
    });

    it('application/json with a charset parameter is accepted', async () => {
      const user = await http.newUser();
      const response = await http.request('/products', {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(aNewProduct(user.id)),
      });
      expect(response.status).toBe(201);
    });

    it.each(['APPLICATION/JSON', 'application/json;charset=UTF-8', 'Application/Json;  Charset="utf-8"'])(
      'the media type and charset are case-insensitive: %s',
      async (type) => {
        const response = await http.request('/users', {
          method: 'POST',
          headers: { 'content-type': type },
          body: new TextEncoder().encode(JSON.stringify(aNewUser())),
        });
        expect(response.status).toBe(201);
      },
    );

    it('a 415 names what to send, on PUT too', async () => {
      const response = await http.request('/products/1', { method: 'PUT', headers: { 'content-type': 'application/merge-patch+json' }, body: '{}' });
      const problem = await problemOf(response, 415, 'request.unsupported_media_type');
      expect(problem.detail).toBe('Send the body as application/json, optionally with charset=utf-8.');
    });

    it('a body of 1 MiB + 1 byte is 413 request.too_large, streamed or with Content-Length', async () => {
      const user = await http.newUser();
      const body = bodyOfSize(user.id, MIB + 1);
      expect(Buffer.byteLength(body)).toBe(MIB + 1);
      const streamed = await http.request('/products', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await problemOf(streamed, 413, 'request.too_large');
      const declared = await http.request('/products', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(MIB + 1) },
        body,
      });
      await problemOf(declared, 413, 'request.too_large');
    });

    it('a body of exactly 1 MiB passes the limit (and then fails validation)', async () => {
      const user = await http.newUser();
      const response = await http.request('/products', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: bodyOfSize(user.id, MIB),
      });
      const problem = await problemOf(response, 400, 'validation.failed');
      expect(problem.errors?.map((error) => error.path)).toEqual(['product_description']);
    });

    it('a body of 90,000 unknown keys gets a short problem: 50 field errors, the rest counted', async () => {
      // Just under 1 MiB, as in the issue: the body limit lets it through to validation.
      const body = Object.fromEntries(Array.from({ length: 90_000 }, (_, i) => [`k${i}`, 1]));
      const response = await http.send('POST', '/products', body);
      const text = await response.text();
      expect(response.status).toBe(400);
      expect(text.length).toBeLessThan(20_000);
      const problem = JSON.parse(text) as { errors: unknown[]; detail: string };
      expect(problem.errors).toHaveLength(50);
      expect(problem.detail).toMatch(/The first 50 of \d+ problems are listed\./);
    });

    it('a key of 100,000 characters is named in at most 200 of them', async () => {
      const response = await http.send('POST', '/products', { ['x'.repeat(100_000)]: 1 });
      const problem = (await response.json()) as { errors: { path: string }[] };
      expect(problem.errors.every((error) => error.path.length <= 201)).toBe(true);
    });

    it('bodyLimitBytes sets the limit', async () => {
      const { app } = appWith(http.deps, { bodyLimitBytes: 64 });
      const response = await app.request('/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'n'.repeat(80), email: 'a@example.com' }) });
      await problemOf(response, 413, 'request.too_large');
    });

    it.each(['/nope', '/products/1/photos', '/users/'])('GET %s is 404 route.not_found', async (path) => {
      const problem = await problemOf(await http.request(path), 404, 'route.not_found');
      expect(problem.instance).toBe(path);
    });

    it.each([
      ['DELETE', '/users/1', 'GET, HEAD'],
      ['POST', '/products/1', 'GET, HEAD, PUT, PATCH, DELETE'],
      ['PUT', '/products', 'POST, GET, HEAD'],
      ['POST', '/healthz', 'GET, HEAD'],
    ])('%s %s is 405 method.not_allowed with Allow', async (method, path, allow) => {
      const response = await http.request(path, { method });
      expect(response.headers.get('allow')).toBe(allow);
      await problemOf(response, 405, 'method.not_allowed');
    });

    it('an unexpected error is a generic 500; the log line has the message, stack and request id', async () => {
      const { app, logs } = appWith(withBrokenProducts(http.deps, 'secret db detail'));
      const response = await app.request('/products/1');
      const text = await response.text();
      expect(text).not.toContain('secret db detail');
      expect(text).not.toContain('at ');
      const problem = await problemOf(new Response(text, { status: response.status, headers: response.headers }), 500, 'internal');
      expect(problem.errors).toBeUndefined();
      const line = logs.find((entry) => entry.msg === 'request completed');
      expect(line).toMatchObject({ level: 50, status: 500, request_id: problem.request_id, err: { message: 'secret db detail', type: 'Error' } });
      expect((line?.err as { stack: string }).stack).toContain('secret db detail');
    });

    it('passwords in URLs are redacted from logged errors', async () => {
      const secret = 'connect ECONNREFUSED postgres://catalog:hunter2@db.internal:5432/catalog';
      const { app, logs } = appWith(withBrokenProducts(http.deps, secret));
      const response = await app.request('/products?user_id=1');
      expect(response.status).toBe(500);
      const logged = JSON.stringify(logs);
      expect(logged).not.toContain('hunter2');
      expect(logged).toContain('postgres://catalog:[redacted]@db.internal:5432/catalog');
    });
  });
}
