import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CatalogEvent, DeliveryAttempt, EventType, NewWebhook, UserRepo, WebhookRepo, WebhookTargets } from '../../src/application/index.js';
import { aNewUser } from '../support/mothers.js';

/** A store of endpoints and the users they may belong to; empty at the start of each test. */
export interface WebhooksFixture {
  readonly webhooks: WebhookRepo & WebhookTargets;
  readonly users: UserRepo;
  close(): Promise<void>;
}

const aWebhook = (overrides: Partial<NewWebhook> = {}): NewWebhook => ({
  id: `wh_${randomBytes(12).toString('hex')}`,
  url: 'https://hooks.shop.example/in',
  events: ['image.done'],
  user_id: null,
  secret: `whsec_${randomBytes(24).toString('base64')}`,
  ...overrides,
});

const anEvent = (type: EventType, user_id: number): CatalogEvent => ({
  id: `evt_${randomBytes(8).toString('hex')}`,
  type,
  timestamp: new Date().toISOString(),
  product_id: 1,
  user_id,
  data: { product_id: 1, image: { id: 1, position: 0, source_url: 'https://i.example/a.jpg', status: 'done', compressed_url: null, width: 1, height: 1, bytes: 1, format: 'webp', error: null, attempts: 1, renditions: [], placeholder: null, reused: false } },
});

const anAttempt = (attempt: number, overrides: Partial<DeliveryAttempt> = {}): Omit<DeliveryAttempt, 'created_at'> => ({
  event_id: `evt_${attempt}`,
  event_type: 'image.done',
  attempt,
  status: 'failed',
  response_code: 500,
  duration_ms: 12,
  error: 'the endpoint answered 500',
  next_retry_at: new Date('2030-01-01T00:00:00.000Z'),
  ...overrides,
});

/** The WebhookRepo and WebhookTargets ports' documented behaviour; every adapter runs it. */
export function webhooksContract(name: string, makeFixture: () => Promise<WebhooksFixture>): void {
  describe(`Webhooks contract: ${name}`, () => {
    let fixture: WebhooksFixture;
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

    it('stores an endpoint, shows it without its secret, and hands the secret to the sender only', async () => {
      const input = aWebhook({ events: ['product.created', 'image.failed'] });
      const created = await fixture.webhooks.create(input);
      expect(created).toEqual({ id: input.id, url: input.url, events: input.events, user_id: null, created_at: expect.any(Date) });
      expect(await fixture.webhooks.findById(input.id)).toEqual(created);
      expect(await fixture.webhooks.target(input.id)).toEqual({ url: input.url, secret: input.secret });
    });

    it('removes an endpoint once: then it is gone for the API and the sender', async () => {
      const input = aWebhook();
      await fixture.webhooks.create(input);
      await fixture.webhooks.recordAttempt(input.id, anAttempt(1));
      expect(await fixture.webhooks.delete(input.id)).toBe(true);
      expect(await fixture.webhooks.delete(input.id)).toBe(false);
      expect(await fixture.webhooks.findById(input.id)).toBeNull();
      expect(await fixture.webhooks.target(input.id)).toBeNull();
      expect(await fixture.webhooks.deliveries(input.id, 10)).toEqual([]);
    });

    it('lists endpoints by id in byte order, without secrets, from after a key and at most the limit', async () => {
      // Digits sort before letters in byte order: ids chosen so that a collation-sensitive or
      // creation-ordered list would differ.
      const ids = [`wh_${'b'.repeat(24)}`, `wh_${'0'.repeat(24)}`, `wh_${'a'.repeat(23)}9`, `wh_${'9'.repeat(24)}`];
      const created = [];
      for (const id of ids) created.push(await fixture.webhooks.create(aWebhook({ id })));
      const sorted = [...created].sort((a, b) => (a.id < b.id ? -1 : 1));
      expect(sorted.map((webhook) => webhook.id)).toEqual([`wh_${'0'.repeat(24)}`, `wh_${'9'.repeat(24)}`, `wh_${'a'.repeat(23)}9`, `wh_${'b'.repeat(24)}`]);
      const all = await fixture.webhooks.list({ limit: 10 });
      expect(all).toEqual(sorted);
      expect(all.every((webhook) => !('secret' in webhook))).toBe(true);
      expect(await fixture.webhooks.list({ limit: 2 })).toEqual(sorted.slice(0, 2));
      expect(await fixture.webhooks.list({ limit: 2, after_id: sorted[1]!.id })).toEqual(sorted.slice(2));
      expect(await fixture.webhooks.list({ limit: 10, after_id: sorted[3]!.id })).toEqual([]);
      // A key that is no endpoint's still places the page: after it, whatever follows.
      expect(await fixture.webhooks.list({ limit: 10, after_id: `wh_${'5'.repeat(24)}` })).toEqual(sorted.slice(1));
    });

    it("lists a user's endpoints alone when asked for that user, everyone's otherwise", async () => {
      const [alice, bob] = [await aUser(), await aUser()];
      const admins = await fixture.webhooks.create(aWebhook());
      const alices = [await fixture.webhooks.create(aWebhook({ user_id: alice })), await fixture.webhooks.create(aWebhook({ user_id: alice }))].sort((a, b) => (a.id < b.id ? -1 : 1));
      const bobs = await fixture.webhooks.create(aWebhook({ user_id: bob }));
      expect(await fixture.webhooks.list({ user_id: alice, limit: 10 })).toEqual(alices);
      expect(await fixture.webhooks.list({ user_id: alice, limit: 1, after_id: alices[0]!.id })).toEqual([alices[1]]);
      expect(await fixture.webhooks.list({ user_id: bob, limit: 10 })).toEqual([bobs]);
      expect((await fixture.webhooks.list({ limit: 10 })).map((webhook) => webhook.id)).toEqual([admins.id, bobs.id, ...alices.map((webhook) => webhook.id)].sort());
      expect(await fixture.webhooks.list({ user_id: (bob > alice ? bob : alice) + 1, limit: 10 })).toEqual([]);
    });

    it("subscribes by type, an admin's endpoint to every product, a user's to its own user's only", async () => {
      const [alice, bob] = [await aUser(), await aUser()];
      const everything = aWebhook({ events: ['image.done', 'product.deleted'] });
      const alices = aWebhook({ events: ['image.done'], user_id: alice });
      for (const input of [everything, alices, aWebhook({ events: ['product.created'], user_id: alice })]) await fixture.webhooks.create(input);
      // Each with where and how to send, so a fan-out can deliver without looking it up again.
      const endpoint = ({ id, url, secret }: typeof everything) => ({ id, url, secret });
      expect(await fixture.webhooks.subscribedTo(anEvent('image.done', alice))).toEqual([everything, alices].map(endpoint).sort((a, b) => (a.id < b.id ? -1 : 1)));
      expect(await fixture.webhooks.subscribedTo(anEvent('image.done', bob))).toEqual([endpoint(everything)]);
      expect(await fixture.webhooks.subscribedTo(anEvent('image.failed', alice))).toEqual([]);
    });

    it('lists attempts newest first, up to the limit, and drops those of a removed endpoint', async () => {
      const input = aWebhook();
      await fixture.webhooks.create(input);
      await fixture.webhooks.recordAttempt(input.id, anAttempt(1));
      await fixture.webhooks.recordAttempt(input.id, anAttempt(2, { status: 'succeeded', response_code: 204, error: null, next_retry_at: null }));
      await fixture.webhooks.recordAttempt(input.id, anAttempt(3, { status: 'dead', response_code: null, error: 'no answer within 100 ms', next_retry_at: null }));
      const listed = await fixture.webhooks.deliveries(input.id, 2);
      expect(listed).toEqual([
        { ...anAttempt(3, { status: 'dead', response_code: null, error: 'no answer within 100 ms', next_retry_at: null }), created_at: expect.any(Date) },
        { ...anAttempt(2, { status: 'succeeded', response_code: 204, error: null, next_retry_at: null }), created_at: expect.any(Date) },
      ]);
      expect((await fixture.webhooks.deliveries(input.id, 10)).map((attempt) => attempt.attempt)).toEqual([3, 2, 1]);
      expect((await fixture.webhooks.deliveries(input.id, 10))[2]!.next_retry_at).toEqual(new Date('2030-01-01T00:00:00.000Z'));
      await expect(fixture.webhooks.recordAttempt(aWebhook().id, anAttempt(1))).resolves.toBeUndefined();
    });

    // PostgreSQL trims with one attempt in 16 (by id), so an endpoint may hold a few more between trims.
    it('keeps the most recent 200 attempts per endpoint, and drops older ones within a few more', async () => {
      const input = aWebhook();
      await fixture.webhooks.create(input);
      for (let attempt = 1; attempt <= 240; attempt += 1) await fixture.webhooks.recordAttempt(input.id, anAttempt(attempt));
      const kept = await fixture.webhooks.deliveries(input.id, 1000);
      expect(kept.length).toBeGreaterThanOrEqual(200);
      expect(kept.length).toBeLessThanOrEqual(216);
      expect(kept.map((attempt) => attempt.attempt)).toEqual(Array.from({ length: kept.length }, (_, i) => 240 - i));
    });
  });
}
