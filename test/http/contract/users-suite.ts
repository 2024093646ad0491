import { describe, expect, it } from 'vitest';
import { aNewUser } from '../../support/mothers.js';
import { MISSING_ID, problemOf, type Http } from '../support/http-harness.js';

export function usersSuite(http: Http): void {
  describe('users', () => {
    it('POST /users creates a user: 201, Location, the public fields', async () => {
      const input = aNewUser();
      const response = await http.send('POST', '/users', input);
      expect(response.status).toBe(201);
      const user = (await response.json()) as { id: number; created_at: string };
      expect(response.headers.get('location')).toBe(`/users/${user.id}`);
      expect(user).toEqual({
        id: expect.any(Number),
        name: input.name,
        email: input.email.toLowerCase(),
        created_at: expect.any(String),
        api_key: expect.stringMatching(/^pc_live_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/),
      });
      expect(new Date(user.created_at).toISOString()).toBe(user.created_at);
    });

    it('GET /users/{id} returns the user the Location names', async () => {
      const created = await http.send('POST', '/users', aNewUser());
      const { api_key: _shownOnce, ...body } = (await created.json()) as Record<string, unknown>;
      const response = await http.request(created.headers.get('location') ?? '');
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(body);
    });

    it('a taken email, in any case, is 409 user.email_taken', async () => {
      const first = await http.newUser();
      const response = await http.send('POST', '/users', aNewUser({ email: `  ${first.email.toUpperCase()} ` }));
      const problem = await problemOf(response, 409, 'user.email_taken');
      expect(problem.errors).toEqual([{ path: 'email', message: 'is already taken' }]);
    });

    it('invalid fields are 400 validation.failed naming each field', async () => {
      const response = await http.send('POST', '/users', { email: 'not-an-email' });
      const problem = await problemOf(response, 400, 'validation.failed');
      expect(problem.errors).toEqual([{ path: 'name', message: 'is required' }]);
      // An email's syntax and length are looked at once the rest of the body is well-formed.
      const blankName = await http.send('POST', '/users', { name: ' ', email: 'a' });
      expect((await problemOf(blankName, 400, 'validation.failed')).errors).toEqual([{ path: 'name', message: 'must not be empty' }]);
      const shortEmail = await http.send('POST', '/users', { name: 'Ada', email: ' a ' });
      expect((await problemOf(shortEmail, 400, 'validation.failed')).errors).toEqual([
        { path: 'email', message: 'must have at least 3 characters' },
      ]);
      const badEmail = await http.send('POST', '/users', { name: 'Ada', email: 'not-an-email' });
      expect((await problemOf(badEmail, 400, 'validation.failed')).errors).toEqual([
        { path: 'email', message: 'must be an email address' },
      ]);
    });

    it('wrong types and unknown keys are 400 naming the field', async () => {
      const response = await http.send('POST', '/users', { name: 42, email: 'a@example.com', role: 'admin' });
      const problem = await problemOf(response, 400, 'validation.failed');
      expect(problem.errors).toEqual([
        { path: 'name', message: 'must be a string' },
        { path: 'role', message: 'is not an accepted field' },
      ]);
    });

    it.each([
      [{ name: 'A\u0000da', email: 'ada@lovelace.example' }, 'name', 'must not contain the NUL character (U+0000)'],
      [{ name: 'Ada', email: 'ada\u0000@lovelace.example' }, 'email', 'must not contain the NUL character (U+0000)'],
      [{ name: '\udfffAda', email: 'ada@lovelace.example' }, 'name', 'must not contain an unpaired surrogate (U+D800 to U+DFFF)'],
      [{ name: 'Ada', email: 'ada@lovelace.example\ud800' }, 'email', 'must not contain an unpaired surrogate (U+D800 to U+DFFF)'],
      [{ name: ' \t ', email: 'ada@lovelace.example' }, 'name', 'must not be empty'],
    ])('text that cannot be stored is 400 naming the field: %j', async (body, path, message) => {
      const response = await http.send('POST', '/users', body);
      expect((await problemOf(response, 400, 'validation.failed')).errors).toEqual([{ path, message }]);
    });

    it('a name of 200 emoji is 200 characters', async () => {
      const response = await http.send('POST', '/users', aNewUser({ name: '\u{1F600}'.repeat(200) }));
      expect(response.status).toBe(201);
      expect(await response.json()).toMatchObject({ name: '\u{1F600}'.repeat(200) });
    });

    it('a JSON body that is not an object is 400', async () => {
      const response = await http.send('POST', '/users', ['name', 'email']);
      const problem = await problemOf(response, 400, 'validation.failed');
      expect(problem.errors?.[0]?.path).toBe('');
    });

    it.each([String(MISSING_ID), 'abc', '0', '-1', '1.5', '99999999999999999999'])(
      'GET /users/%s is 404 user.not_found',
      async (id) => {
        const response = await http.request(`/users/${id}`);
        const problem = await problemOf(response, 404, 'user.not_found');
        expect(problem.instance).toBe(`/users/${id}`);
        expect(problem.errors).toBeUndefined();
      },
    );
  });
}
