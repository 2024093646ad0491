import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { violations, type Received } from './fuzz/checks.js';
import { operationsOf, type Operation } from './fuzz/document.js';
import { requestsFor, type FuzzRequest, type Pool } from './fuzz/requests.js';
import { servedDocument } from './support/openapi-document.js';

// The fuzzer's oracle and generators, checked on their own: a fuzzer that cannot see a defect
// would pass every run.

const received = (status: number, body: unknown, type = 'application/json', headers: Record<string, string> = {}): Received => ({
  status,
  headers: new Headers({ 'content-type': type, 'x-request-id': 'r1', ...headers }),
  body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
});
const request = (target: string, valid = false): FuzzRequest => ({ method: 'GET', target, headers: {}, valid });
const notFound = (instance: string) => ({ type: '/problems/product.not_found', title: 'Product not found', status: 404, detail: 'No.', code: 'product.not_found', instance, request_id: 'r1' });

describe('the fuzzer', () => {
  let getProduct: Operation;
  let operations: Operation[];
  const pool: Pool = { userIds: [1, 2], productIds: [3], imageIds: [4], webhookIds: [], fileKeys: ['originals/a.png'], cursors: { '/products': ['c'] }, keys: { admin: 'admin-key', users: [{ userId: 1, key: 'pc_live_0123456789abcdef_s', keyId: '0123456789abcdef' }] }, revokedKeys: [], uploads: [{ name: 'a.png', type: 'image/png', bytes: new Uint8Array([1]), image: true }, { name: 'x', type: 'image/png', bytes: new Uint8Array(), image: false }] };

  beforeAll(async () => {
    operations = await operationsOf(await servedDocument());
    getProduct = operations.find((operation) => operation.id === 'getProduct')!;
  });

  it('passes an answer the document declares', () => {
    expect(violations(getProduct, request('/products/9'), received(404, notFound('/products/9'), 'application/problem+json'))).toEqual([]);
  });

  it('flags a 5xx, an undeclared status, a 4xx that is not a problem, and a missing required header', () => {
    expect(violations(getProduct, request('/products/9'), received(503, {}, 'application/problem+json'))).toEqual([
      'answered 503',
      expect.stringContaining('status 503 is not declared'),
    ]);
    expect(violations(getProduct, request('/products/9'), received(404, 'nope', 'text/plain'))).toContainEqual(expect.stringContaining('not application/problem+json'));
    const bare = { ...received(404, notFound('/products/9'), 'application/problem+json'), headers: new Headers({ 'content-type': 'application/problem+json' }) };
    expect(violations(getProduct, request('/products/9'), bare)).toContainEqual(expect.stringContaining('X-Request-Id'));
  });

  it('flags a body off its schema, a problem whose status or instance is wrong, and a valid request refused', () => {
    expect(violations(getProduct, request('/products/9'), received(200, { id: 'x' }))).not.toEqual([]);
    expect(violations(getProduct, request('/products/%2e%2e%2fx'), received(404, notFound('/products/../x'), 'application/problem+json'))).toContainEqual(
      expect.stringContaining('problem instance'),
    );
    expect(violations(getProduct, request('/products/9'), received(404, { ...notFound('/products/9'), status: 400 }, 'application/problem+json'))).toContainEqual(
      expect.stringContaining('problem status 400'),
    );
    const list = operations.find((operation) => operation.id === 'listProducts')!;
    const refused = { ...notFound('/products'), status: 400, code: 'validation.failed', type: '/problems/validation.failed' };
    expect(violations(list, request('/products?user_id=1', true), received(400, refused, 'application/problem+json'))).toContainEqual(
      expect.stringContaining("within the document's rules got 400"),
    );
  });

  it('generates valid and hostile requests for every operation, reaching the pool', () => {
    for (const operation of operations) {
      const samples = fc.sample(requestsFor(operation, pool), { numRuns: 200, seed: 7 });
      expect(samples.some((sample) => sample.valid), operation.id).toBe(true);
      if (operation.parameters.some((parameter) => parameter.in !== 'header') || operation.body) {
        expect(samples.some((sample) => !sample.valid), operation.id).toBe(true);
      }
      expect(samples.every((sample) => sample.method === operation.method && sample.target.length <= 8192)).toBe(true);
    }
    const gets = fc.sample(requestsFor(getProduct, pool), { numRuns: 100, seed: 7 });
    expect(gets.some((sample) => sample.target === '/products/3')).toBe(true);
  });
});
