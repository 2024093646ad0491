import { describe, expect, it } from 'vitest';
import { aNewUser } from '../../support/mothers.js';
import { problemOf, type Http } from '../support/http-harness.js';

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

    it('needs a key', async () => {
      await problemOf(await http.send('POST', '/webhooks', { url: URL_OK, events: ['image.done'] }, { authorization: '' }), 401, 'auth.unauthenticated');
    });
  });
}
