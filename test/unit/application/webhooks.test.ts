import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { InMemoryWebhooks } from '../../../src/adapters/memory/index.js';
import {
  deleteWebhook,
  deliverWebhook,
  imageEventTasks,
  describeTask,
  fanOutEvent,
  handleTask,
  retryPolicy,
  webhookBody,
  type CatalogEvent,
  type Delivery,
  type TaskMessage,
  type TaskOutcome,
  type SubscribedEndpoint,
  type WebhookRequest,
  type WebhookResponse,
} from '../../../src/application/index.js';

const logger = pino({ level: 'silent' });
const event: CatalogEvent = {
  id: 'evt_1',
  type: 'product.created',
  timestamp: '2026-01-01T00:00:00.000Z',
  product_id: 3,
  user_id: 7,
  data: { product_id: 3, image: { id: 1, position: 0, source_url: 'https://i.example/a.jpg', status: 'done', compressed_url: null, width: 1, height: 1, bytes: 1, format: 'webp', error: null, attempts: 1, renditions: [], placeholder: null, reused: false } },
};
const retry = retryPolicy([100, 200]);
const delivery = (attempt: number, task: TaskMessage['task'] = { type: 'webhook.deliver', webhook_id: 'wh_a', event }): Delivery => ({ id: 'm1', task, attempt, maxAttempts: retry.maxAttempts });
const NOW = new Date('2026-01-01T00:00:10.000Z');

async function endpoint(responses: WebhookResponse[]) {
  const targets = new InMemoryWebhooks({ now: () => NOW });
  const hook = await targets.create({ id: 'wh_a', url: 'https://hooks.example/a', events: ['product.created'], user_id: null, secret: 'whsec_x' });
  const sent: WebhookRequest[] = [];
  const sender = { send: async (request: WebhookRequest) => (sent.push(request), responses.shift()!) };
  return { targets, hook, sent, deps: { targets, sender, retry, logger, now: () => NOW } };
}

describe('deliverWebhook', () => {
  it('sends the event, signed with the endpoint secret and the event id, and records a success', async () => {
    const { deps, sent, targets } = await endpoint([{ status: 204 }]);
    expect(await deliverWebhook(deps, delivery(1), 'wh_a', event)).toEqual({ type: 'done' });
    expect(sent).toEqual([{ url: 'https://hooks.example/a', secret: 'whsec_x', messageId: 'evt_1', timestamp: NOW, body: webhookBody(event) }]);
    expect(JSON.parse(sent[0]!.body)).toEqual({ id: 'evt_1', type: 'product.created', timestamp: event.timestamp, data: event.data });
    expect(await targets.deliveries('wh_a', 10)).toEqual([expect.objectContaining({ attempt: 1, status: 'succeeded', response_code: 204, error: null, next_retry_at: null })]);
  });

  it('retries a failed attempt, saying when the next is due, and dead-letters the last', async () => {
    const { deps, targets } = await endpoint([{ status: 500 }, { status: null, error: 'no answer within 5 ms' }, { status: 503 }]);
    expect(await deliverWebhook(deps, delivery(1), 'wh_a', event)).toEqual({ type: 'retry', reason: 'the endpoint answered 500' });
    expect(await deliverWebhook(deps, delivery(2), 'wh_a', event)).toEqual({ type: 'retry', reason: 'no answer within 5 ms' });
    expect(await deliverWebhook(deps, delivery(3), 'wh_a', event)).toEqual({ type: 'retry', reason: 'the endpoint answered 503' });
    expect((await targets.deliveries('wh_a', 10)).map((attempt) => [attempt.attempt, attempt.status, attempt.next_retry_at?.toISOString() ?? null])).toEqual([
      [3, 'dead', null],
      [2, 'failed', '2026-01-01T00:00:10.200Z'],
      [1, 'failed', '2026-01-01T00:00:10.100Z'],
    ]);
  });

  it('does not retry an address the policy refuses', async () => {
    const { deps, targets } = await endpoint([{ status: null, error: 'blocked address: 10.0.0.1', permanent: true }]);
    expect(await deliverWebhook(deps, delivery(1), 'wh_a', event)).toEqual({ type: 'done' });
    expect(await targets.deliveries('wh_a', 10)).toEqual([expect.objectContaining({ status: 'failed', error: 'blocked address: 10.0.0.1', next_retry_at: null })]);
  });

  it('sends nothing for an endpoint removed meanwhile', async () => {
    const { deps, sent, targets } = await endpoint([]);
    await targets.delete('wh_a');
    expect(await deliverWebhook(deps, delivery(1), 'wh_a', event)).toEqual({ type: 'done' });
    expect(sent).toEqual([]);
  });
});

describe('fanOutEvent', () => {
  it('queues one delivery per subscribed endpoint and streams the event', async () => {
    const targets = new InMemoryWebhooks();
    await targets.create({ id: 'wh_a', url: 'https://h.example/a', events: ['product.created'], user_id: null, secret: 's' });
    await targets.create({ id: 'wh_b', url: 'https://h.example/b', events: ['product.created'], user_id: 8, secret: 's' });
    const published: TaskMessage[] = [];
    const streamed: CatalogEvent[] = [];
    const deps = { targets, publisher: { publish: async (messages: readonly TaskMessage[]) => void published.push(...messages) }, logger, stream: { publish: async (e: CatalogEvent) => void streamed.push(e) } };
    expect(await fanOutEvent(deps, { ...delivery(1, { type: 'event.publish', event }), request_id: 'r1' }, event)).toEqual({ type: 'done' });
    expect(published).toEqual([{ id: 'm1.wh_a', task: { type: 'webhook.deliver', webhook_id: 'wh_a', event }, request_id: 'r1' }]);
    expect(streamed).toEqual([event]);
  });

  it('a stream outage does not hold the event back', async () => {
    const deps = {
      targets: new InMemoryWebhooks(),
      publisher: { publish: async () => undefined },
      logger,
      stream: { publish: async () => Promise.reject(new Error('redis down')) },
    };
    expect(await fanOutEvent(deps, delivery(1, { type: 'event.publish', event }), event)).toEqual({ type: 'done' });
  });

  describe('with inline delivery', () => {
    const fanOut = async (answer: (first: Delivery) => Promise<TaskOutcome>, options: { endpoints?: number; policy?: typeof retry } = {}) => {
      const targets = new InMemoryWebhooks();
      for (const id of ['wh_a', 'wh_b'].slice(0, options.endpoints ?? 1)) {
        await targets.create({ id, url: `https://h.example/${id}`, events: ['product.created'], user_id: null, secret: 's' });
      }
      const published: TaskMessage[] = [];
      const inlined: [Delivery, SubscribedEndpoint][] = [];
      const deliver = async (first: Delivery, endpoint: SubscribedEndpoint) => (inlined.push([first, endpoint]), answer(first));
      const deps = { targets, publisher: { publish: async (messages: readonly TaskMessage[]) => void published.push(...messages) }, logger, inline: { deliver, retry: options.policy ?? retry } };
      expect(await fanOutEvent(deps, { ...delivery(3, { type: 'event.publish', event }), request_id: 'r1' }, event)).toEqual({ type: 'done' });
      return { published, inlined };
    };
    const task = { id: 'm1.wh_a', task: { type: 'webhook.deliver', webhook_id: 'wh_a', event }, request_id: 'r1' };

    it('delivers to a single endpoint itself, as its attempt 1 whatever attempt the fan-out is at, and queues nothing', async () => {
      const { published, inlined } = await fanOut(async () => ({ type: 'done' }));
      expect(inlined).toEqual([[{ ...task, attempt: 1, maxAttempts: retry.maxAttempts }, { id: 'wh_a', url: 'https://h.example/wh_a', secret: 's' }]]);
      expect(published).toEqual([]);
    });

    it('queues a failed (or thrown) first attempt as attempt 2 after the first retry delay', async () => {
      const expected = [{ ...task, retry: { attempt: 2, delayMs: 100 } }];
      expect((await fanOut(async () => ({ type: 'retry', reason: 'the endpoint answered 500' }))).published).toEqual(expected);
      expect((await fanOut(async () => Promise.reject(new Error('database gone')))).published).toEqual(expected);
    });

    it('queues a deferred delivery as attempt 1: the endpoint was at its cap, nothing was tried', async () => {
      expect((await fanOut(async () => ({ type: 'defer', reason: 'busy' }))).published).toEqual([task]);
    });

    it('queues one task per endpoint when several want the event, and when the policy never retries', async () => {
      const several = await fanOut(async () => ({ type: 'done' }), { endpoints: 2 });
      expect(several.inlined).toEqual([]);
      expect(several.published.map((message) => message.id)).toEqual(['m1.wh_a', 'm1.wh_b']);
      const once = await fanOut(async () => ({ type: 'done' }), { policy: retryPolicy([]) });
      expect([once.inlined, once.published]).toEqual([[], [task]]);
    });
  });
});

describe('handleTask for events', () => {
  const base = { logger, publisher: { publish: async () => undefined }, retry } as unknown as Parameters<typeof handleTask>[0];

  it('acks an event with no webhooks wired, and retries a delivery it cannot send', async () => {
    expect(await handleTask(base)(delivery(1, { type: 'event.publish', event }))).toEqual({ type: 'done' });
    expect(await handleTask(base)(delivery(1))).toEqual({ type: 'retry', reason: 'this worker has no webhook sender' });
  });

  it('routes a delivery to the sender', async () => {
    const { deps, sent } = await endpoint([{ status: 200 }]);
    expect(await handleTask({ ...base, webhooks: { targets: deps.targets, sender: deps.sender } })(delivery(1))).toEqual({ type: 'done' });
    expect(sent).toHaveLength(1);
  });

  it('sends an event for its only endpoint from the fan-out, recorded as attempt 1', async () => {
    const { deps, sent, targets } = await endpoint([{ status: 204 }]);
    const published: TaskMessage[] = [];
    const publisher = { publish: async (messages: readonly TaskMessage[]) => void published.push(...messages) };
    // Sent to the endpoint the fan-out read: a second lookup would fail the delivery.
    const lookups = { subscribedTo: (e: CatalogEvent) => targets.subscribedTo(e), target: async () => Promise.reject(new Error('looked up again')), recordAttempt: targets.recordAttempt.bind(targets) };
    const handler = handleTask({ ...base, publisher, webhooks: { targets: lookups, sender: deps.sender } });
    expect(await handler(delivery(2, { type: 'event.publish', event }))).toEqual({ type: 'done' });
    expect([sent.length, published]).toEqual([1, []]);
    expect(await targets.deliveries('wh_a', 10)).toEqual([expect.objectContaining({ attempt: 1, status: 'succeeded' })]);
    expect(sent[0]).toMatchObject({ url: 'https://hooks.example/a', secret: 'whsec_x' });
  });
});

describe('describeTask', () => {
  it('names each kind of task for the dlq listing', () => {
    expect(describeTask({ type: 'image.process', product_id: 1, image_id: 2, version: 1 })).toBe('image 2 of product 1');
    expect(describeTask({ type: 'object.delete', key: 'images/x.webp' })).toBe('delete images/x.webp');
    expect(describeTask({ type: 'event.publish', event })).toBe('event evt_1 product.created');
    expect(describeTask({ type: 'webhook.deliver', webhook_id: 'wh_a', event })).toBe('webhook wh_a event evt_1 product.created');
  });
});

describe('edges', () => {
  it('deleteWebhook reports an endpoint removed between its lookup and its delete as not found', async () => {
    const webhooks = {
      findById: async () => ({ id: 'wh_000000000000000000000000', url: 'https://h.example/', events: ['image.done' as const], user_id: null, created_at: NOW }),
      delete: async () => false,
    };
    expect(await deleteWebhook({ webhooks }, 'wh_000000000000000000000000')).toMatchObject({ ok: false, error: { code: 'webhook.not_found' } });
  });

  it('deliverWebhook stamps attempts with the clock when none is given', async () => {
    const { deps, sent, targets } = await endpoint([{ status: 200 }]);
    const { now: _fixed, ...withoutClock } = deps;
    expect(await deliverWebhook(withoutClock, delivery(1), 'wh_a', event)).toEqual({ type: 'done' });
    expect(sent[0]!.timestamp.getTime()).toBeGreaterThan(NOW.getTime());
    await targets.close();
  });

  it('imageEventTasks records nothing for an image the product no longer has', () => {
    const product = { id: 1, user_id: 1, version: 1, product_name: 'p', product_description: 'd', product_price: 1, product_images: [], compressed_product_images: [], images: [], created_at: NOW, updated_at: NOW };
    expect(imageEventTasks({ newId: () => 'evt_x', now: () => NOW }, 'image.done', product, 5)).toEqual([]);
  });
});
