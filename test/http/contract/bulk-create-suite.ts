import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { aNewProduct, aNewUser } from '../../support/mothers.js';
import { problemOf, type Http } from '../support/http-harness.js';

type Result = { index: number; status: number; id?: number; location?: string; replayed?: true; problem?: { code: string; errors?: { path: string }[] } };
const ndjson = (lines: string[]) => ({ 'content-type': 'application/x-ndjson', body: `${lines.join('\n')}\n` });

export function bulkCreateSuite(http: Http): void {
  describe('POST /products/bulk', () => {
    const bulk = (body: unknown, query = '', headers: Record<string, string> = {}) => http.send('POST', `/products/bulk${query}`, body, headers);
    const streamed = (lines: string[], query = '', headers: Record<string, string> = {}) => {
      const { body, ...type } = ndjson(lines);
      return http.request(`/products/bulk${query}`, { method: 'POST', headers: { ...type, ...headers }, body });
    };
    const count = async (userId: number) => ((await (await http.request(`/products?user_id=${userId}&limit=200`)).json()) as unknown[]).length;

    it('creates the valid items of a JSON array, answers each in order, and lists them at once', async () => {
      const user = await http.newUser();
      await http.request(`/products?user_id=${user.id}`); // a cached empty list must not survive the bulk create
      const response = await bulk([aNewProduct(user.id), { ...aNewProduct(user.id), product_price: -1 }, aNewProduct(user.id), { ...aNewProduct(1), user_id: 999_999_999 }]);
      expect(response.status).toBe(200);
      const results = (await response.json()) as Result[];
      expect(results.map((result) => [result.index, result.status])).toEqual([[0, 201], [1, 400], [2, 201], [3, 422]]);
      expect(results[0]!.location).toBe(`/products/${results[0]!.id}`);
      expect(results[1]!.problem).toMatchObject({ code: 'validation.failed', errors: [{ path: 'product_price' }] });
      const listed = await http.request(`/products?user_id=${user.id}`);
      expect(((await listed.json()) as { id: number }[]).map((item) => item.id)).toEqual([results[2]!.id, results[0]!.id]);
    });

    it('with atomic=true creates nothing when one item fails (422) and everything when none does', async () => {
      const user = await http.newUser();
      const failed = await bulk([aNewProduct(user.id), { ...aNewProduct(user.id), product_name: '' }], '?atomic=true');
      const problem = (await problemOf(failed, 422, 'bulk.not_created')) as unknown as { results: Result[] };
      expect(problem.results.map((result) => result.problem?.code)).toEqual(['bulk.not_created', 'validation.failed']);
      expect(await count(user.id)).toBe(0);
      const unknownUser = await streamed([JSON.stringify(aNewProduct(user.id)), JSON.stringify(aNewProduct(999_999_999))], '?atomic=true');
      const refused = (await problemOf(unknownUser, 422, 'bulk.not_created')) as unknown as { results: Result[] };
      expect(refused.results.map((result) => result.problem?.code)).toEqual(['bulk.not_created', 'user.not_found']);
      const atOnce = await streamed([JSON.stringify(aNewProduct(user.id))], '?atomic=true');
      expect((await atOnce.text()).trim().split('\n').map((line) => (JSON.parse(line) as Result).status)).toEqual([201]);
      const done = await bulk([aNewProduct(user.id), aNewProduct(user.id)], '?atomic=true');
      expect(done.status).toBe(200);
      expect(await count(user.id)).toBe(3);
    });

    it('streams NDJSON: one result a line, a line that is not JSON fails alone', async () => {
      const user = await http.newUser();
      const response = await streamed([JSON.stringify(aNewProduct(user.id)), '{not json', '', JSON.stringify(aNewProduct(user.id))]);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/x-ndjson');
      const lines = (await response.text()).trim().split('\n').map((line) => JSON.parse(line) as Result);
      expect(lines.map((line) => [line.index, line.status])).toEqual([[0, 201], [1, 400], [2, 201]]);
      expect(await count(user.id)).toBe(2);
    });

    it('is resumable with an Idempotency-Key: a retry replays what was created and creates the rest', async () => {
      const user = await http.newUser();
      const key = { 'idempotency-key': randomUUID() };
      const items = [0, 1, 2].map((i) => JSON.stringify(aNewProduct(user.id, { product_name: `Item ${i}` })));
      const first = (await (await streamed(items.slice(0, 2), '', key)).text()).trim().split('\n').map((line) => JSON.parse(line) as Result);
      const retry = (await (await streamed(items, '', key)).text()).trim().split('\n').map((line) => JSON.parse(line) as Result);
      expect(retry.map((line) => [line.id === first[line.index]?.id, line.replayed ?? false])).toEqual([[true, true], [true, true], [false, false]]);
      expect(await count(user.id)).toBe(3);
      const other = await bulk([aNewProduct(user.id, { product_name: 'Changed' })], '', key);
      expect(((await other.json()) as Result[])[0]!.problem?.code).toBe('idempotency.key_reused');
      await problemOf(await bulk([aNewProduct(user.id)], '', { 'idempotency-key': 'x'.repeat(300) }), 400, 'validation.failed');
    });

    it('lets a user key create for its own user only, user_id optional', async () => {
      const response = await http.send('POST', '/users', aNewUser());
      const user = (await response.json()) as { id: number; api_key: string };
      const { user_id: _owner, ...mine } = aNewProduct(user.id);
      const answered = await bulk([mine, aNewProduct(user.id + 1)], '', { authorization: `Bearer ${user.api_key}` });
      expect(((await answered.json()) as Result[]).map((result) => result.status)).toEqual([201, 403]);
    });

    it('refuses other media types, malformed JSON, a body that is not an array and more than 1,000 items', async () => {
      await problemOf(await http.request('/products/bulk', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'a,b' }), 415, 'request.unsupported_media_type');
      await problemOf(await http.request('/products/bulk', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[{' }), 400, 'request.malformed_json');
      await problemOf(await bulk({ not: 'an array' }), 400, 'validation.failed');
      await problemOf(await bulk(Array.from({ length: 1_001 }, () => ({}))), 400, 'validation.failed');
    });
  });
}
