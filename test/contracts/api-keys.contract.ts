import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiKeys, NewApiKey, UserRepo } from '../../src/application/index.js';
import { aNewUser } from '../support/mothers.js';

/** A store of keys and the users they act for; its admin keys are only those a test makes. */
export interface ApiKeysFixture {
  readonly apiKeys: ApiKeys;
  readonly users: UserRepo;
  close(): Promise<void>;
}

const aKeyFor = (user_id: number | null, overrides: Partial<NewApiKey> = {}): NewApiKey => ({
  id: randomBytes(8).toString('hex'),
  role: user_id === null ? 'admin' : 'user',
  user_id,
  secret_digest: randomBytes(32).toString('hex'),
  ...overrides,
});

/** The ApiKeys port's documented behaviour; every adapter runs it on a store of its own. */
export function apiKeysContract(name: string, makeFixture: () => Promise<ApiKeysFixture>): void {
  describe(`ApiKeys contract: ${name}`, () => {
    let fixture: ApiKeysFixture;
    beforeEach(async () => {
      fixture = await makeFixture();
    });
    afterEach(async () => {
      await fixture.close();
    });

    const aUser = async () => {
      const created = await fixture.users.create(aNewUser());
      if (!created.ok) throw new Error(created.error);
      return created.value.id;
    };

    it('knows of an admin key once one is stored, and only then', async () => {
      expect(await fixture.apiKeys.hasAdmin()).toBe(false);
      await fixture.apiKeys.create(aKeyFor(await aUser()));
      expect(await fixture.apiKeys.hasAdmin()).toBe(false);
      const admin = aKeyFor(null);
      expect(await fixture.apiKeys.create(admin)).toEqual({ id: admin.id, role: 'admin', user_id: null, created_at: expect.any(Date), last_used_at: null });
      expect(await fixture.apiKeys.hasAdmin()).toBe(true);
    });

    it('stores a user key and returns its record without the digest', async () => {
      const userId = await aUser();
      const input = aKeyFor(userId);
      const created = await fixture.apiKeys.create(input);
      expect(created).toEqual({ id: input.id, role: 'user', user_id: userId, created_at: expect.any(Date), last_used_at: null });
    });

    it('refuses a key for a user that does not exist', async () => {
      expect(await fixture.apiKeys.create(aKeyFor(987_654_321))).toBe('user.not_found');
    });

    it('finds a key by id with its digest, and nothing for an unknown id', async () => {
      const userId = await aUser();
      const input = aKeyFor(userId);
      await fixture.apiKeys.create(input);
      expect(await fixture.apiKeys.findById(input.id)).toEqual({
        id: input.id,
        role: 'user',
        user_id: userId,
        secret_digest: input.secret_digest,
        created_at: expect.any(Date),
        last_used_at: null,
        revoked_at: null,
      });
      expect(await fixture.apiKeys.findById('0000000000000000')).toBeNull();
    });

    it("lists a user's keys, oldest first, and no one else's", async () => {
      const [ada, bob] = [await aUser(), await aUser()];
      const first = aKeyFor(ada);
      const second = aKeyFor(ada);
      await fixture.apiKeys.create(first);
      await fixture.apiKeys.create(second);
      await fixture.apiKeys.create(aKeyFor(bob));
      const listed = await fixture.apiKeys.listForUser(ada);
      expect(listed.map((key) => key.id)).toEqual([first.id, second.id]);
      expect(listed[0]).not.toHaveProperty('secret_digest');
    });

    it('revokes a key once: it is no longer listed, and is found as revoked', async () => {
      const userId = await aUser();
      const input = aKeyFor(userId);
      await fixture.apiKeys.create(input);
      expect(await fixture.apiKeys.revoke(userId, input.id)).toBe(true);
      expect(await fixture.apiKeys.revoke(userId, input.id)).toBe(false);
      expect(await fixture.apiKeys.listForUser(userId)).toEqual([]);
      expect((await fixture.apiKeys.findById(input.id))?.revoked_at).toBeInstanceOf(Date);
    });

    it("does not revoke another user's key, nor an unknown one", async () => {
      const [ada, bob] = [await aUser(), await aUser()];
      const input = aKeyFor(ada);
      await fixture.apiKeys.create(input);
      expect(await fixture.apiKeys.revoke(bob, input.id)).toBe(false);
      expect(await fixture.apiKeys.revoke(ada, '0000000000000000')).toBe(false);
      expect((await fixture.apiKeys.findById(input.id))?.revoked_at).toBeNull();
    });

    it('records the last use', async () => {
      const userId = await aUser();
      const input = aKeyFor(userId);
      await fixture.apiKeys.create(input);
      const at = new Date('2030-01-02T03:04:05.000Z');
      await fixture.apiKeys.touch(input.id, at);
      expect((await fixture.apiKeys.findById(input.id))?.last_used_at).toEqual(at);
      expect((await fixture.apiKeys.listForUser(userId))[0]?.last_used_at).toEqual(at);
    });
  });
}
