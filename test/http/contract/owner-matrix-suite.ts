import { describe, expect, it } from 'vitest';
import { aNewProduct, aNewUser } from '../../support/mothers.js';
import { pngBytes } from '../../support/pipeline-fakes.js';
import { jsonInit, type Http } from '../support/http-harness.js';

type Who = 'anonymous' | 'user A' | 'user B' | 'admin';
const WHO: readonly Who[] = ['anonymous', 'user A', 'user B', 'admin'];

/** What each case arranges: user A (who owns everything here), user B, and A's product. */
interface World {
  readonly a: { id: number; api_key: string };
  readonly b: { id: number; api_key: string };
  readonly productId: number;
  /** A key of A's that this case may revoke. */
  readonly spareKeyId: string;
}

const upload = (): RequestInit => {
  const body = new FormData();
  body.set('file', new Blob([pngBytes(`matrix-${Math.random()}`)], { type: 'image/png' }), 'matrix.png');
  return { method: 'POST', body };
};

/** Every operation, and what each caller gets: A owns the product and the keys. */
const MATRIX: readonly { name: string; request: (w: World) => [string, RequestInit]; expect: Record<Who, number> }[] = [
  { name: 'POST /users', request: () => ['/users', jsonInit('POST', aNewUser())], expect: { anonymous: 401, 'user A': 403, 'user B': 403, admin: 201 } },
  { name: 'GET /users/{A}', request: (w) => [`/users/${w.a.id}`, {}], expect: { anonymous: 401, 'user A': 200, 'user B': 403, admin: 200 } },
  {
    name: 'POST /users/{A}/api-keys',
    request: (w) => [`/users/${w.a.id}/api-keys`, { method: 'POST' }],
    expect: { anonymous: 401, 'user A': 201, 'user B': 403, admin: 201 },
  },
  { name: 'GET /users/{A}/api-keys', request: (w) => [`/users/${w.a.id}/api-keys`, {}], expect: { anonymous: 401, 'user A': 200, 'user B': 403, admin: 200 } },
  {
    name: 'DELETE /users/{A}/api-keys/{key}',
    request: (w) => [`/users/${w.a.id}/api-keys/${w.spareKeyId}`, { method: 'DELETE' }],
    expect: { anonymous: 401, 'user A': 204, 'user B': 403, admin: 204 },
  },
  {
    name: 'POST /products for A',
    request: (w) => ['/products', jsonInit('POST', aNewProduct(w.a.id))],
    expect: { anonymous: 401, 'user A': 201, 'user B': 403, admin: 201 },
  },
  { name: 'GET /products/{A’s}', request: (w) => [`/products/${w.productId}`, {}], expect: { anonymous: 200, 'user A': 200, 'user B': 200, admin: 200 } },
  { name: 'GET /products?user_id=A', request: (w) => [`/products?user_id=${w.a.id}`, {}], expect: { anonymous: 200, 'user A': 200, 'user B': 200, admin: 200 } },
  {
    name: 'PUT /products/{A’s}',
    request: (w) => {
      const { user_id: _owner, ...fields } = aNewProduct(w.a.id);
      return [`/products/${w.productId}`, jsonInit('PUT', fields)];
    },
    expect: { anonymous: 401, 'user A': 200, 'user B': 403, admin: 200 },
  },
  {
    name: 'PATCH /products/{A’s}',
    request: (w) => [`/products/${w.productId}`, jsonInit('PATCH', { product_price: 5 })],
    expect: { anonymous: 401, 'user A': 200, 'user B': 403, admin: 200 },
  },
  {
    name: 'DELETE /products/{A’s}',
    request: (w) => [`/products/${w.productId}`, { method: 'DELETE' }],
    expect: { anonymous: 401, 'user A': 204, 'user B': 403, admin: 204 },
  },
  {
    name: 'POST /products/{A’s}/images',
    request: (w) => [`/products/${w.productId}/images`, upload()],
    expect: { anonymous: 401, 'user A': 202, 'user B': 403, admin: 202 },
  },
  { name: 'GET /metrics', request: () => ['/metrics', {}], expect: { anonymous: 401, 'user A': 403, 'user B': 403, admin: 200 } },
];

export function ownerMatrixSuite(http: Http): void {
  describe('who may do what: anonymous, user A, user B and admin × every operation', () => {
    const registered = async () => {
      const response = await http.send('POST', '/users', aNewUser());
      expect(response.status).toBe(201);
      return (await response.json()) as { id: number; api_key: string };
    };

    async function world(): Promise<World> {
      const [a, b] = [await registered(), await registered()];
      const productId = (await http.newProduct(a.id)).id;
      const spare = await http.request(`/users/${a.id}/api-keys`, { method: 'POST' });
      return { a, b, productId, spareKeyId: ((await spare.json()) as { id: string }).id };
    }

    // The harness sends its admin key when a request gives no Authorization, and none for ''.
    const authorization = (who: Who, w: World): string | undefined =>
      who === 'admin' ? undefined : who === 'anonymous' ? '' : `Bearer ${who === 'user A' ? w.a.api_key : w.b.api_key}`;

    for (const row of MATRIX) {
      it.each(WHO.map((who) => [who, row.expect[who]] as const))(`${row.name}: %s gets %i`, async (who, status) => {
        const w = await world();
        const [path, init] = row.request(w);
        const headers = new Headers(init.headers);
        const sent = authorization(who, w);
        if (sent !== undefined) headers.set('authorization', sent);
        const response = await http.request(path, { ...init, headers });
        const body = await response.text();
        expect(response.status, body).toBe(status);
        if (status === 401) expect(JSON.parse(body)).toMatchObject({ code: 'auth.unauthenticated' });
        if (status === 403) expect(JSON.parse(body)).toMatchObject({ code: 'auth.forbidden' });
      });
    }

    it.each([
      ['user A', 201, 'A'],
      ['user B', 201, 'B'],
      ['admin', 400, null],
    ] as const)('POST /products without user_id: %s gets %i, owned by %s', async (who, status, owner) => {
      const w = await world();
      const { user_id: _owner, ...body } = aNewProduct(w.a.id);
      const headers: Record<string, string> = who === 'admin' ? {} : { authorization: `Bearer ${who === 'user A' ? w.a.api_key : w.b.api_key}` };
      const response = await http.send('POST', '/products', body, headers);
      expect(response.status).toBe(status);
      const created = (await response.json()) as { user_id?: number; errors?: unknown };
      if (owner === null) expect(created.errors).toEqual([{ path: 'user_id', message: 'is required' }]);
      else expect(created.user_id).toBe(owner === 'A' ? w.a.id : w.b.id);
    });

    it("leaves another owner's product as it was after a refused write", async () => {
      const w = await world();
      const before = await (await http.request(`/products/${w.productId}`)).json();
      const bearerB = { authorization: `Bearer ${w.b.api_key}` };
      expect((await http.send('PATCH', `/products/${w.productId}`, { product_price: 1 }, bearerB)).status).toBe(403);
      expect((await http.request(`/products/${w.productId}`, { method: 'DELETE', headers: bearerB })).status).toBe(403);
      expect(await (await http.request(`/products/${w.productId}`)).json()).toEqual(before);
    });
  });
}
