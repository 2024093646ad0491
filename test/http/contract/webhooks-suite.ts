import { describe, expect, it } from 'vitest';
import { aNewUser } from '../../support/mothers.js';
import { appWith, nextUrl, problemOf, type Http } from '../support/http-harness.js';

const URL_OK = 'https://hooks.shop.example/in';

export function webhooksSuite(http: Http): void {
  describe('webhooks', () => {
    const aUserKey = async () => {
      const response = await http.send('POST', '/users', aNewUser());
      const user = (await response.json()) as { id: number; api_key: string };
      return { id: user.id, bearer: { authorization: `Bearer ${user.api_key}` } };
    };

    it('POST /webhooks registers an endpoint: 201, Location, its secret once; GET shows it without', async () => {
      const response = await http.send('POST', '/webhooks', { url: URL_OK, events: ['image.done', 'image.done', 'product.images_settled'] });
      expect(response.status).toBe(201);
      const created = (await response.json()) as Record<string, unknown> & { id: string };
      expect(created).toEqual({
        id: expect.stringMatching(/^wh_[0-9a-f]{24}$/),
        url: URL_OK,
        events: ['image.done', 'product.images_settled'],
        user_id: null,
        created_at: expect.any(String),
        secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{32}$/),
      });
      expect(response.headers.get('location')).toBe(`/webhooks/${created.id}`);
      const { secret: _once, ...shown } = created;
      const got = await http.request(`/webhooks/${created.id}`);
      expect(got.status).toBe(200);
      expect(await got.json()).toEqual(shown);
      const deliveries = await http.request(`/webhooks/${created.id}/deliveries`);
      expect(deliveries.status).toBe(200);
      expect(await deliveries.json()).toEqual([]);
    });

    it('DELETE /webhooks/{id} removes it: 204, then 404 webhook.not_found everywhere', async () => {
      const created = (await (await http.send('POST', '/webhooks', { url: URL_OK, events: ['product.created'] })).json()) as { id: string };
      expect((await http.request(`/webhooks/${created.id}`, { method: 'DELETE' })).status).toBe(204);
      await problemOf(await http.request(`/webhooks/${created.id}`, { method: 'DELETE' }), 404, 'webhook.not_found');
      await problemOf(await http.request(`/webhooks/${created.id}`), 404, 'webhook.not_found');
      await problemOf(await http.request(`/webhooks/${created.id}/deliveries`), 404, 'webhook.not_found');
    });

    it('an id that cannot be one is 404, like an unknown one', async () => {
      for (const id of ['abc', '%00', 'wh_000000000000000000000000', `wh_${'f'.repeat(300)}`]) {
        await problemOf(await http.request(`/webhooks/${id}`), 404, 'webhook.not_found');
      }
    });

    it('invalid bodies are 400 validation.failed naming each field, and register nothing', async () => {
      const problem = await problemOf(await http.send('POST', '/webhooks', { url: 'ftp://x.example/', events: ['image.done', 'nope'], extra: 1 }), 400, 'validation.failed');
      expect(problem.errors).toEqual(
        expect.arrayContaining([
          { path: 'extra', message: 'is not a known field' },
          { path: 'url', message: 'must be an absolute http or https URL' },
          { path: 'events[1]', message: expect.stringContaining('must be one of product.created') },
        ]),
      );
      const empty = await problemOf(await http.send('POST', '/webhooks', { url: `https://x.example/${'a'.repeat(2100)}`, events: [] }), 400, 'validation.failed');
      expect(empty.errors).toEqual([
        { path: 'url', message: 'must be at most 2048 characters' },
        { path: 'events', message: 'must be a non-empty array of event types' },
      ]);
      const typed = await problemOf(await http.send('POST', '/webhooks', { url: 7, events: 'image.done' }), 400, 'validation.failed');
      expect(typed.errors?.map((error) => error.path)).toEqual(['url', 'events']);
      for (const body of [[], 'text', null]) await problemOf(await http.send('POST', '/webhooks', body), 400, 'validation.failed');
    });

    it("a user key's endpoint is its user's: hidden from other users, visible to the admin", async () => {
      const [alice, bob] = [await aUserKey(), await aUserKey()];
      const response = await http.send('POST', '/webhooks', { url: URL_OK, events: ['image.failed'] }, alice.bearer);
      expect(response.status).toBe(201);
      const created = (await response.json()) as { id: string; user_id: number };
      expect(created.user_id).toBe(alice.id);
      expect((await http.request(`/webhooks/${created.id}`, { headers: alice.bearer })).status).toBe(200);
      await problemOf(await http.request(`/webhooks/${created.id}`, { headers: bob.bearer }), 404, 'webhook.not_found');
      await problemOf(await http.request(`/webhooks/${created.id}`, { method: 'DELETE', headers: bob.bearer }), 404, 'webhook.not_found');
      expect((await http.request(`/webhooks/${created.id}`)).status).toBe(200);
    });

    type Listed = { id: string; url: string; events: string[]; user_id: number | null; created_at: string };
    const register = async (headers?: Record<string, string>) => {
      const response = await http.send('POST', '/webhooks', { url: URL_OK, events: ['image.done'] }, headers);
      expect(response.status).toBe(201);
      const { secret: _once, ...shown } = (await response.json()) as Listed & { secret: string };
      return shown;
    };
    /** Every page from `url` on, following Link; the pages' sizes too. */
    const walk = async (url: string, headers?: Record<string, string>) => {
      const seen: Listed[] = [];
      const sizes: number[] = [];
      for (let next: string | null = url; next !== null; ) {
        const response = await http.request(next, { headers: headers ?? {} });
        expect(response.status).toBe(200);
        const page = (await response.json()) as Listed[];
        seen.push(...page);
        sizes.push(page.length);
        next = nextUrl(response);
        if (next !== null) expect(next).toMatch(/^\/webhooks\?limit=\d+&cursor=[\w-]+$/);
      }
      return { seen, sizes };
    };
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);

    it("GET /webhooks with an admin key lists every endpoint, users' included, by id, paged through Link, never a secret", async () => {
      const alice = await aUserKey();
      const mine = [await register(), await register(), await register(alice.bearer)];
      const { seen, sizes } = await walk('/webhooks?limit=2');
      expect(sizes.slice(0, -1).every((size) => size === 2)).toBe(true);
      // Other tests of the suite registered endpoints too: every one is listed once, in id order.
      expect(seen.map((webhook) => webhook.id)).toEqual([...new Set(seen.map((webhook) => webhook.id))].sort());
      expect(seen).toEqual(expect.arrayContaining(mine));
      expect(seen.find((webhook) => webhook.id === mine[2]!.id)?.user_id).toBe(alice.id);
      expect(seen.every((webhook) => !('secret' in webhook))).toBe(true);
      // One page of 50 by default, without Link when they all fit.
      const whole = await http.request('/webhooks');
      const listed = (await whole.json()) as Listed[];
      expect(listed).toEqual(seen.slice(0, 50));
      if (seen.length <= 50) expect(whole.headers.get('link')).toBeNull();
    });

    it("GET /webhooks with a user key lists that user's endpoints only: another user's stay hidden", async () => {
      const [alice, bob] = [await aUserKey(), await aUserKey()];
      const alices = [await register(alice.bearer), await register(alice.bearer), await register(alice.bearer)].sort(byId);
      const bobs = await register(bob.bearer);
      await register();
      const { seen, sizes } = await walk('/webhooks?limit=2', alice.bearer);
      expect(seen).toEqual(alices);
      expect(sizes).toEqual([2, 1]);
      expect((await walk('/webhooks', bob.bearer)).seen).toEqual([bobs]);
      // Bob cannot page into Alice's endpoints with a cursor taken from her list either.
      const first = await http.request('/webhooks?limit=1', { headers: alice.bearer });
      const cursor = new URL(nextUrl(first) ?? '', 'http://localhost').searchParams.get('cursor');
      const crossed = await http.request(`/webhooks?cursor=${cursor}`, { headers: bob.bearer });
      expect(((await crossed.json()) as Listed[]).map((webhook) => webhook.id)).toEqual(bobs.id > alices[0]!.id ? [bobs.id] : []);
    });

    it('GET /webhooks builds Link on publicBaseUrl when one is configured', async () => {
      await register();
      await register();
      const { app } = appWith(http.deps, { publicBaseUrl: 'https://api.example.com/catalog' });
      const response = await app.request('/webhooks?limit=1');
      expect(response.status).toBe(200);
      expect(nextUrl(response)).toMatch(/^https:\/\/api\.example\.com\/catalog\/webhooks\?limit=1&cursor=[\w-]+$/);
    });

    it.each([
      ['limit=0', 'limit', 'must be an integer from 1 to 200'],
      ['limit=201', 'limit', 'must be an integer from 1 to 200'],
      ['limit=ten', 'limit', 'must be an integer'],
      ['cursor=not-a-cursor', 'cursor', 'is not a cursor this service issued'],
      // A products cursor is no webhooks cursor.
      [`cursor=${btoa('{"after":5}').replace(/=+$/, '')}`, 'cursor', 'is not a cursor this service issued'],
    ])('GET /webhooks?%s is 400 validation.failed naming %s', async (query, path, message) => {
      const problem = await problemOf(await http.request(`/webhooks?${query}`), 400, 'validation.failed');
      expect(problem.errors).toEqual([{ path, message }]);
    });

    it('needs a key', async () => {
      await problemOf(await http.send('POST', '/webhooks', { url: URL_OK, events: ['image.done'] }, { authorization: '' }), 401, 'auth.unauthenticated');
      await problemOf(await http.request('/webhooks', { headers: { authorization: '' } }), 401, 'auth.unauthenticated');
    });
  });
}
