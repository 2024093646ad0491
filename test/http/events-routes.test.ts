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
