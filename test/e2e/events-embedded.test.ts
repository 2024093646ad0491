import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTHORIZATION } from '../support/admin-key.js';
import { startImageOrigin, type ImageOrigin } from '../support/image-origin.js';
import { freePort, spawnService, type SpawnedService } from '../support/spawn-service.js';
import { photoNames } from '../support/testdata.js';
import { catalogClient } from './catalog-client.js';

// npm start on the embedded default (PGlite, in-process queue and event stream): the events of a
// product's life arrive on GET /events, in order, as the worker commits them.
let origin: ImageOrigin;
let dataDir: string;
let service: SpawnedService;

beforeAll(async () => {
  origin = await startImageOrigin();
  dataDir = await mkdtemp(join(tmpdir(), 'catalog-events-'));
  const port = await freePort();
  service = await spawnService('server.ts', {
    DATA_DIR: dataDir,
    PORT: String(port),
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    IMAGE_FETCH_ALLOW_PRIVATE_NETWORKS: 'true',
    IMAGE_RETRY_DELAYS_MS: '200',
  });
}, 60_000);
afterAll(async () => {
  await service?.stop('SIGTERM');
  await origin?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('events on the embedded default', () => {
  it('streams product.created, image.done, image.failed and product.images_settled for one product', { timeout: 60_000 }, async () => {
    const client = catalogClient(service.url);
    const user = await client.user();
    const response = await fetch(`${service.url}/events?user_id=${user}`, { headers: ADMIN_AUTHORIZATION });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const created = await client.product(user, [`${origin.url}/images/${photoNames()[0]}`, `${origin.url}/images/hostile/not-an-image.jpg`]);
    let text = '';
    while (!text.includes('event: product.images_settled')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    await reader.cancel();
    const events = text
      .split('\n\n')
      .filter((block) => block.includes('data: '))
      .map((block) => JSON.parse(block.split('\n').find((line) => line.startsWith('data: '))!.slice(6)) as { type: string; product_id: number; data: Record<string, unknown> });
    expect(events.every((event) => event.product_id === created.id)).toBe(true);
    expect(events[0]!.type).toBe('product.created');
    expect(events.map((event) => event.type).slice(1).sort()).toEqual(['image.done', 'image.failed', 'product.images_settled']);
    expect(events.at(-1)!.type).toBe('product.images_settled');
    const settled = await client.get(created.id);
    expect((events.at(-1)!.data as { product: { images: unknown[] } }).product.images).toEqual(settled.images);
  });
});
