import { describe, expect, it } from 'vitest';
import { InProcessEventStream } from '../../../src/adapters/in-process/index.js';
import { createEventFeed, eventFilterOf, type CatalogEvent, type EventType } from '../../../src/application/index.js';

let counter = 0;
const anEvent = (overrides: Partial<CatalogEvent> = {}): CatalogEvent => ({
  id: `evt_${++counter}`,
  type: 'product.updated',
  timestamp: new Date(0).toISOString(),
  product_id: 1,
  user_id: 1,
  data: { product_id: 1, image: { id: 1, position: 0, source_url: 'https://i.example/a', status: 'done', compressed_url: null, width: 1, height: 1, bytes: 1, format: 'webp', error: null, attempts: 1, renditions: [], placeholder: null, reused: false } },
  ...overrides,
});

describe('createEventFeed', () => {
  it('delivers live events matching the filter, each id once', async () => {
    const stream = new InProcessEventStream();
    const feed = await createEventFeed({ stream });
    const subscription = feed.subscribe({ product_id: 2, types: ['image.done' as EventType] });
    const wanted = anEvent({ product_id: 2, type: 'image.done' });
    await stream.publish(anEvent({ product_id: 3, type: 'image.done' }));
    await stream.publish(anEvent({ product_id: 2, type: 'product.updated' }));
    await stream.publish(wanted);
    await stream.publish(wanted);
    expect(await subscription.next()).toEqual(wanted);
    subscription.close();
    expect(await subscription.next()).toBeNull();
    expect(feed.subscribers).toBe(0);
    await feed.close();
  });

  it('resumes after a Last-Event-ID still in the window, and from now after one that left it', async () => {
    const stream = new InProcessEventStream();
    const feed = await createEventFeed({ stream }, { windowSize: 3 });
    const events = [anEvent(), anEvent(), anEvent(), anEvent()];
    for (const event of events) await stream.publish(event);
    const resumed = feed.subscribe({}, events[1]!.id);
    expect([await resumed.next(), await resumed.next()]).toEqual([events[2], events[3]]);
    const gone = feed.subscribe({}, events[0]!.id);
    const live = anEvent();
    await stream.publish(live);
    expect(await gone.next()).toEqual(live);
    await feed.close();
    expect(await resumed.next()).toBeNull();
  });

  it('drops a subscriber that falls too far behind instead of buffering without bound', async () => {
    const stream = new InProcessEventStream();
    const feed = await createEventFeed({ stream }, { maxQueued: 2 });
    const slow = feed.subscribe({});
    let ended = false;
    void slow.ended.then(() => (ended = true));
    for (let i = 0; i < 3; i += 1) await stream.publish(anEvent());
    await Promise.resolve();
    expect(slow.dropped).toBe(true);
    expect(ended).toBe(true);
    expect(await slow.next()).toBeNull();
    expect(feed.subscribers).toBe(0);
    await feed.close();
  });
});

describe('eventFilterOf', () => {
  it('parses ids and a comma list of types', () => {
    expect(eventFilterOf({ product_id: '4', user_id: '5', type: 'image.done, image.failed' })).toEqual({
      ok: true,
      value: { product_id: 4, user_id: 5, types: ['image.done', 'image.failed'] },
    });
    expect(eventFilterOf({})).toEqual({ ok: true, value: { product_id: undefined, user_id: undefined, types: undefined } });
  });

  it('names each bad parameter', () => {
    const result = eventFilterOf({ product_id: 'x', user_id: '0', type: 'image.done,nope' });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'validation.failed',
        errors: [
          { path: 'product_id', message: 'must be a positive integer' },
          { path: 'user_id', message: 'must be a positive integer' },
          { path: 'type[1]', message: expect.stringContaining('must be one of') },
        ],
      },
    });
  });

  it("limits a user key to its own user's events", () => {
    const actor = { kind: 'user', userId: 9, keyId: 'k' } as const;
    expect(eventFilterOf({}, actor)).toMatchObject({ ok: true, value: { user_id: 9 } });
    expect(eventFilterOf({ user_id: '8' }, actor)).toMatchObject({ ok: false, error: { code: 'auth.forbidden' } });
  });
});
