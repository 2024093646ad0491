import { describe, expect, it } from 'vitest';
import type { CatalogEvent, TaskMessage } from '../../src/application/index.js';
import { memoryApiDeps } from '../support/memory-deps.js';
import { aNewUser } from '../support/mothers.js';
import { appWith, problemOf } from './support/http-harness.js';

const IMAGE_TASK: TaskMessage = { id: '41', task: { type: 'image.process', product_id: 3, image_id: 9, version: 1 } };
const DELETE_TASK: TaskMessage = { id: '42', task: { type: 'object.delete', key: 'images/x.webp' } };
const EVENT = { id: 'evt_1', type: 'product.created', timestamp: '2026-01-01T00:00:00.000Z', product_id: 5, user_id: 1, data: { product_id: 5, image: {} } } as unknown as CatalogEvent;
const WEBHOOK_TASK: TaskMessage = { id: '43', task: { type: 'webhook.deliver', webhook_id: 'wh_1', event: EVENT } };

/** The app on the memory fakes, with the embedded queue's dead letters holding both tasks. */
async function withDeadLetters() {
  const memory = memoryApiDeps();
  const consumer = await memory.queue.consume(async () => ({ type: 'dead', attempts: 4, reason: 'source answered 404' }));
  await memory.queue.publish([IMAGE_TASK, DELETE_TASK, WEBHOOK_TASK]);
  await expect.poll(async () => (await memory.queue.list(10)).length).toBe(3);
  await consumer.stop();
  return { ...appWith(memory.deps), queue: memory.queue };
}

describe('GET /dead-letters and POST /dead-letters/{id}/replay', () => {
  it('lists dead letters oldest first with their task in words, and replays one of them', async () => {
    const { app, queue } = await withDeadLetters();
    const listed = await app.request('/dead-letters');
    expect(listed.status).toBe(200);
    const letters = (await listed.json()) as Record<string, unknown>[];
    expect(letters).toEqual([
      { id: '41', type: 'image.process', description: 'image 9 of product 3', product_id: 3, image_id: 9, webhook_id: null, attempts: 4, reason: 'source answered 404', dead_at: expect.any(String) },
      expect.objectContaining({ id: '42', type: 'object.delete', product_id: null, image_id: null, description: 'delete images/x.webp' }),
      expect.objectContaining({ id: '43', type: 'webhook.deliver', product_id: 5, image_id: null, webhook_id: 'wh_1' }),
    ]);
    expect((await (await app.request('/dead-letters?limit=1')).json()) as unknown[]).toHaveLength(1);

    const replayed = await app.request('/dead-letters/41/replay', { method: 'POST' });
    expect(replayed.status).toBe(202);
    expect(await replayed.json()).toEqual({ replayed: 1 });
    expect((await queue.list(10)).map((letter) => letter.id)).toEqual(['42', '43']);
    await problemOf(await app.request('/dead-letters/41/replay', { method: 'POST' }), 404, 'dead_letter.not_found');
    await queue.close();
  });

  it('is for admin keys only, and checks the limit', async () => {
    const { app, queue } = await withDeadLetters();
    await problemOf(await app.request('/dead-letters', { headers: { authorization: '' } }), 401, 'auth.unauthenticated');
    const user = (await (await app.request('/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(aNewUser()) })).json()) as { api_key: string };
    await problemOf(await app.request('/dead-letters', { headers: { authorization: `Bearer ${user.api_key}` } }), 403, 'auth.forbidden');
    await problemOf(await app.request('/dead-letters/41/replay', { method: 'POST', headers: { authorization: `Bearer ${user.api_key}` } }), 403, 'auth.forbidden');
    await problemOf(await app.request('/dead-letters?limit=0'), 400, 'validation.failed');
    expect(await queue.list(10)).toHaveLength(3);
    await queue.close();
  });
});
