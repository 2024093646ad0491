import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aNewUser } from '../support/mothers.js';
import type { MakeRepos, RepoFixture } from './repo-fixture.js';

/** The UserRepo port's documented behaviour; every UserRepo adapter runs it. */
export function userRepoContract(name: string, makeRepos: MakeRepos): void {
  describe(`UserRepo contract: ${name}`, () => {
    let repos: RepoFixture;
    beforeEach(async () => {
      repos = await makeRepos();
    });
    afterEach(async () => {
      await repos.close();
    });

    it('stores a user and returns it with an id and a creation time', async () => {
      const input = aNewUser();
      const created = await repos.users.create(input);
      if (!created.ok) throw new Error(`create failed: ${created.error}`);
      expect(created.value).toMatchObject({ name: input.name, email: input.email });
      expect(created.value.id).toBeGreaterThan(0);
      expect(created.value.created_at).toBeInstanceOf(Date);
    });

    it('gives every user its own id', async () => {
      const first = await repos.users.create(aNewUser());
      const second = await repos.users.create(aNewUser());
      expect(first.ok && second.ok && first.value.id !== second.value.id).toBe(true);
    });

    it('finds a stored user by id', async () => {
      const created = await repos.users.create(aNewUser());
      if (!created.ok) throw new Error(`create failed: ${created.error}`);
      expect(await repos.users.findById(created.value.id)).toEqual(created.value);
    });

    it('finds nothing for an unknown id', async () => {
      expect(await repos.users.findById(987_654_321)).toBeNull();
    });

    it('refuses a second user with the same email', async () => {
      const input = aNewUser();
      expect((await repos.users.create(input)).ok).toBe(true);
      expect(await repos.users.create(aNewUser({ email: input.email }))).toEqual({ ok: false, error: 'user.email_taken' });
    });

    it('treats emails that differ only in case as the same', async () => {
      const input = aNewUser();
      expect((await repos.users.create(input)).ok).toBe(true);
      const shouted = aNewUser({ email: input.email.toUpperCase() });
      expect(await repos.users.create(shouted)).toEqual({ ok: false, error: 'user.email_taken' });
    });
  });
}
