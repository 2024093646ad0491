import { describe, expect, it } from 'vitest';
import { InProcessEventStream } from '../../src/adapters/in-process/index.js';
import { createEventFeed, createProduct, type CatalogEvent } from '../../src/application/index.js';
import { memoryApiDeps } from '../support/memory-deps.js';
import { aNewUser } from '../support/mothers.js';
import { appWith, problemOf } from './support/http-harness.js';

async function setup(heartbeatMs = 60_000) {
  const memory = memoryApiDeps();
  const stream = new InProcessEventStream();
  const feed = await createEventFeed({ stream });
  const { app } = appWith({ ...memory.deps, eventFeed: feed }, { eventsHeartbeatMs: heartbeatMs });
  return { app, stream, feed, memory };
}

/** Reads the SSE body until `done` holds for the text so far. */
async function readUntil(response: Response, done: (text: string) => boolean): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!done(text)) {
    const { value, done: ended } = await reader.read();
    if (ended) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel();
  return text;
}

describe('GET /events', () => {
  it('streams matching events with their id and type, and resumes after Last-Event-ID', async () => {
    const { app, stream, memory, feed } = await setup();
    const user = await memory.users.create(aNewUser());
    if (!user.ok) throw new Error('no user');
    const response = await app.request(`/events?user_id=${user.value.id}&type=product.created`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    // The repository's outbox holds the event; handing it to the stream is the worker's part.
    const created = await createProduct(memory.deps, { user_id: user.value.id, product_name: 'Live', product_description: 'd', product_images: [], product_price: 1 });
    if (!created.ok) throw new Error('not created');
    const event = memory.products.outbox.pending.map((message) => message.task).find((task) => task.type === 'event.publish')!;
    if (event.type !== 'event.publish') throw new Error('no event');
    await stream.publish({ ...event.event, id: 'evt_other', user_id: user.value.id + 1 });
    await stream.publish(event.event);
    const text = await readUntil(response, (body) => body.includes(`id: ${event.event.id}\n\n`));
    expect(text).toContain(': connected');
    expect(text).toContain(`event: product.created\ndata: ${JSON.stringify(event.event)}\nid: ${event.event.id}\n\n`);
    expect(text).not.toContain('evt_other');

    const later: CatalogEvent = { ...event.event, id: 'evt_later' };
    await stream.publish(later);
    const resumed = await app.request(`/events?user_id=${user.value.id}`, { headers: { 'last-event-id': event.event.id } });
    expect(await readUntil(resumed, (body) => body.includes('id: evt_later'))).toContain('id: evt_later');
    await feed.close();
  });

  it('resumes after ?last_event_id= as after Last-Event-ID (EventSource cannot set the header), the header winning', async () => {
    const { app, stream, feed } = await setup();
    const base = { type: 'product.deleted', timestamp: new Date().toISOString(), product_id: 1, user_id: 1, data: { product_id: 1, image: {} } } as unknown as Omit<CatalogEvent, 'id'>;
    for (const id of ['evt_a', 'evt_b', 'evt_c']) await stream.publish({ ...base, id } as CatalogEvent);
    const resumed = await app.request('/events?last_event_id=evt_a');
    const text = await readUntil(resumed, (body) => body.includes('id: evt_c\n'));
    expect(text).not.toContain('id: evt_a\n');
    expect(text.indexOf('id: evt_b\n')).toBeGreaterThan(0);
    expect(text.indexOf('id: evt_b\n')).toBeLessThan(text.indexOf('id: evt_c\n'));
    const both = await app.request('/events?last_event_id=evt_a', { headers: { 'last-event-id': 'evt_b' } });
    const after = await readUntil(both, (body) => body.includes('id: evt_c\n'));
    expect(after).not.toContain('id: evt_b\n');
    await feed.close();
  });

  it('sends heartbeats while nothing happens', async () => {
    const { app, feed } = await setup(20);
    const response = await app.request('/events');
    expect(await readUntil(response, (body) => body.includes(': heartbeat'))).toContain(': heartbeat');
    await feed.close();
  });

  it('refuses bad filters, another user\'s events and anonymous callers', async () => {
    const { app, feed } = await setup();
    const problem = await problemOf(await app.request('/events?type=nope&product_id=x'), 400, 'validation.failed');
    expect(problem.errors?.map((error) => error.path)).toEqual(['product_id', 'type[0]']);
    await problemOf(await app.request('/events', { headers: { authorization: '' } }), 401, 'auth.unauthenticated');
    const registered = await app.request('/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(aNewUser()) });
    const { id, api_key } = (await registered.json()) as { id: number; api_key: string };
    await problemOf(await app.request(`/events?user_id=${id + 1}`, { headers: { authorization: `Bearer ${api_key}` } }), 403, 'auth.forbidden');
    expect(feed.subscribers).toBe(0);
    await feed.close();
  });
});

describe('POST /events/tokens and GET /events?access_token=', () => {
  it("issues a token that opens the stream as the key's actor, on GET /events only", async () => {
    const { app, stream, feed } = await setup();
    const created = await app.request('/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(aNewUser()) });
    const user = (await created.json()) as { id: number; api_key: string };
    const issued = await app.request('/events/tokens', { method: 'POST', headers: { authorization: `Bearer ${user.api_key}` } });
    expect(issued.status).toBe(201);
    expect(issued.headers.get('cache-control')).toBe('no-store');
    const { token, expires_at } = (await issued.json()) as { token: string; expires_at: string };
    expect(Date.parse(expires_at) - Date.now()).toBeGreaterThan(4 * 60_000);

    // No Authorization header, as EventSource sends it; the token's user sees only its products.
    const response = await app.request(`/events?access_token=${encodeURIComponent(token)}`, { headers: { authorization: '' } });
    expect(response.status).toBe(200);
    const base = { id: 'evt_x', type: 'product.deleted', timestamp: new Date().toISOString(), product_id: 1, user_id: 0, data: { product_id: 1, image: {} } } as unknown as CatalogEvent;
    await stream.publish({ ...base, id: 'evt_theirs', user_id: user.id + 1 });
    await stream.publish({ ...base, id: 'evt_mine', user_id: user.id });
    const text = await readUntil(response, (body) => body.includes('id: evt_mine'));
    expect(text).not.toContain('evt_theirs');

    // A user token cannot ask for another user's stream, and the token is no API key elsewhere.
    await problemOf(await app.request(`/events?user_id=${user.id + 1}&access_token=${encodeURIComponent(token)}`, { headers: { authorization: '' } }), 403, 'auth.forbidden');
    await problemOf(await app.request('/webhooks/wh_000000000000000000000000', { headers: { authorization: `Bearer ${token}` } }), 401, 'auth.unauthenticated');
    await feed.close();
  });

  it('answers 401 invalid_token for a forged or expired token, and 401 for a token request without a key', async () => {
    const { app, feed } = await setup();
    const refused = await app.request('/events?access_token=evt1.e30.AAAA', { headers: { authorization: '' } });
    await problemOf(refused, 401, 'auth.unauthenticated');
    expect(refused.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    await problemOf(await app.request('/events/tokens', { method: 'POST', headers: { authorization: '' } }), 401, 'auth.unauthenticated');
    // An Authorization header wins over a token in the URL.
    const admin = await app.request('/events?access_token=garbage');
    expect(admin.status).toBe(200);
    await admin.body?.cancel();
    await feed.close();
  });
});
