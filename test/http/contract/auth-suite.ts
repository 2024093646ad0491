import { describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY } from '../../support/admin-key.js';
import { aNewProduct, aNewUser } from '../../support/mothers.js';
import { appWith, MISSING_ID, problemOf, type Http } from '../support/http-harness.js';

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const ANONYMOUS = { authorization: '' };

export function authSuite(http: Http): void {
  describe('API keys', () => {
    const registered = async () => {
      const response = await http.send('POST', '/users', aNewUser());
      expect(response.status).toBe(201);
      return (await response.json()) as { id: number; api_key: string };
    };

    it.each([
      ['no Authorization', ANONYMOUS, 'Bearer'],
      ['another scheme', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }, 'Bearer error="invalid_token"'],
      ['Bearer and nothing', { authorization: 'Bearer ' }, 'Bearer error="invalid_token"'],
      ['an unknown key', bearer(`pc_live_0123456789abcdef_${'A'.repeat(43)}`), 'Bearer error="invalid_token"'],
      ['text that is no key', bearer('not-a-key-at-all'), 'Bearer error="invalid_token"'],
    ])('a write with %s is 401 auth.unauthenticated with a Bearer challenge', async (_name, headers, challenge) => {
      const response = await http.send('POST', '/products', aNewProduct(1), headers);
      await problemOf(response, 401, 'auth.unauthenticated');
      expect(response.headers.get('www-authenticate')).toBe(challenge);
    });

    it('the key is checked before the body: a bad body without a key is still 401', async () => {
      const response = await http.request('/products', { method: 'POST', headers: { ...ANONYMOUS, 'content-type': 'text/plain' }, body: '{' });
      await problemOf(response, 401, 'auth.unauthenticated');
    });

    it('reads are public; a key sent with a read must still be valid', async () => {
      const user = await http.newUser();
      const product = await http.newProduct(user.id);
      expect((await http.request(`/products/${product.id}`, { headers: ANONYMOUS })).status).toBe(200);
      expect((await http.request(`/products?user_id=${user.id}`, { headers: ANONYMOUS })).status).toBe(200);
      await problemOf(await http.request(`/products/${product.id}`, { headers: bearer('wrong-key-wrong-key-wrong-key-wrong') }), 401, 'auth.unauthenticated');
    });

    it('with reads not public, a read needs a valid key too', async () => {
      const user = await registered();
      const { app } = appWith(http.deps, { publicReads: false });
      await problemOf(await app.request(`/products?user_id=${user.id}`, { headers: ANONYMOUS }), 401, 'auth.unauthenticated');
      expect((await app.request(`/products?user_id=${user.id}`, { headers: bearer(user.api_key) })).status).toBe(200);
      expect((await app.request('/healthz', { headers: ANONYMOUS })).status).toBe(200);
    });

    it('health and docs need no key; /metrics needs an admin key', async () => {
      for (const path of ['/healthz', '/readyz', '/openapi.json']) expect((await http.request(path, { headers: ANONYMOUS })).status).toBe(200);
      await problemOf(await http.request('/metrics', { headers: ANONYMOUS }), 401, 'auth.unauthenticated');
      const user = await registered();
      await problemOf(await http.request('/metrics', { headers: bearer(user.api_key) }), 403, 'auth.forbidden');
      expect((await http.request('/metrics', { headers: bearer(TEST_ADMIN_KEY) })).status).toBe(200);
    });

    it('only an admin creates users; the new key acts for its user', async () => {
      const user = await registered();
      await problemOf(await http.send('POST', '/users', aNewUser(), bearer(user.api_key)), 403, 'auth.forbidden');
      const own = await http.request(`/users/${user.id}`, { headers: bearer(user.api_key) });
      expect(own.status).toBe(200);
      const other = await registered();
      await problemOf(await http.request(`/users/${other.id}`, { headers: bearer(user.api_key) }), 403, 'auth.forbidden');
    });

    it('a user issues, lists and revokes its keys; a revoked key is refused at once', async () => {
      const user = await registered();
      const issued = await http.request(`/users/${user.id}/api-keys`, { method: 'POST', headers: bearer(user.api_key) });
      expect(issued.status).toBe(201);
      const second = (await issued.json()) as { id: string; api_key: string; user_id: number; role: string; last_used_at: unknown };
      expect(second).toMatchObject({ user_id: user.id, role: 'user', last_used_at: null, api_key: expect.stringMatching(new RegExp(`^pc_live_${second.id}_`)) });

      const listed = await http.request(`/users/${user.id}/api-keys`, { headers: bearer(second.api_key) });
      expect(listed.status).toBe(200);
      const keys = (await listed.json()) as { id: string; last_used_at: string | null }[];
      expect(keys.map((key) => key.id)).toEqual([user.api_key.slice(8, 24), second.id]);
      expect(JSON.stringify(keys)).not.toContain(second.api_key);
      expect(keys[0]?.last_used_at).toEqual(expect.any(String));

      const revoked = await http.request(`/users/${user.id}/api-keys/${second.id}`, { method: 'DELETE', headers: bearer(user.api_key) });
      expect(revoked.status).toBe(204);
      await problemOf(await http.request(`/users/${user.id}/api-keys`, { headers: bearer(second.api_key) }), 401, 'auth.unauthenticated');
      await problemOf(
        await http.request(`/users/${user.id}/api-keys/${second.id}`, { method: 'DELETE', headers: bearer(user.api_key) }),
        404,
        'api_key.not_found',
      );
    });

    it("a user key cannot touch another user's keys; an admin can", async () => {
      const [ada, bob] = [await registered(), await registered()];
      const adaKeyId = ada.api_key.slice(8, 24);
      await problemOf(await http.request(`/users/${ada.id}/api-keys`, { headers: bearer(bob.api_key) }), 403, 'auth.forbidden');
      await problemOf(await http.request(`/users/${ada.id}/api-keys`, { method: 'POST', headers: bearer(bob.api_key) }), 403, 'auth.forbidden');
      await problemOf(
        await http.request(`/users/${ada.id}/api-keys/${adaKeyId}`, { method: 'DELETE', headers: bearer(bob.api_key) }),
        403,
        'auth.forbidden',
      );
      expect((await http.request(`/users/${ada.id}/api-keys`, { method: 'POST' })).status).toBe(201);
      expect((await http.request(`/users/${ada.id}/api-keys/${adaKeyId}`, { method: 'DELETE' })).status).toBe(204);
    });

    it.each([
      ['GET', `/users/${MISSING_ID}/api-keys`, 404, 'user.not_found'],
      ['POST', `/users/${MISSING_ID}/api-keys`, 404, 'user.not_found'],
      ['GET', '/users/abc/api-keys', 404, 'user.not_found'],
      ['DELETE', '/users/1/api-keys/not-a-key-id', 404, 'api_key.not_found'],
      ['DELETE', '/users/1/api-keys/0123456789abcdef', 404, 'api_key.not_found'],
    ])('%s %s is %i %s', async (method, path, status, code) => {
      await problemOf(await http.request(path, { method }), status, code);
    });
  });
}
