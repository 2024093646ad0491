import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTHORIZATION } from '../support/admin-key.js';
import { eventually } from '../support/eventually.js';
import { startImageOrigin, type ImageOrigin } from '../support/image-origin.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { useRabbitMq } from '../support/rabbitmq.js';
import { spawnService, type SpawnedService } from '../support/spawn-service.js';
import { listenOnLoopback } from '../integration/undici/listen-on-loopback.js';
import { catalogClient } from './catalog-client.js';

// npm start on real PostgreSQL and RabbitMQ with two worker slots, one endpoint that never
// answers and one that does. The hung endpoint may hold one slot (its cap), never both: the
// other endpoint's deliveries and the images go on while it hangs for far longer than the test.
const rabbit = useRabbitMq();
let database: TestDatabase;
let origin: ImageOrigin;
let dataDir: string;
let service: SpawnedService;
let receiver: Server;
let base: string;
const received = { hung: 0, open: 0, maxOpen: 0, ok: [] as string[] };

beforeAll(async () => {
  receiver = createServer((request, response) => {
    request.resume();
    if (request.url === '/hung') {
      received.hung += 1;
      received.open += 1;
      received.maxOpen = Math.max(received.maxOpen, received.open);
      request.on('close', () => (received.open -= 1));
      return;
    }
    request.on('end', () => {
      received.ok.push(String(request.headers['webhook-id']));
      response.writeHead(204).end();
    });
  });
  base = `http://127.0.0.1:${await listenOnLoopback(receiver)}`;
  [database, origin, dataDir] = await Promise.all([createTestDatabase(), startImageOrigin(), mkdtemp(join(tmpdir(), 'catalog-webhook-cap-'))]);
  service = await spawnService('server.ts', {
    DATABASE_URL: database.url,
    AMQP_URL: rabbit.url,
    AMQP_PREFIX: rabbit.prefix([200, 400]),
    DATA_DIR: dataDir,
    IMAGE_RETRY_DELAYS_MS: '200,400',
    IMAGE_FETCH_ALLOW_PRIVATE_NETWORKS: 'true',
    OUTBOX_POLL_INTERVAL_MS: '200',
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    // Far longer than the test waits: without the cap, the hung endpoint's first two deliveries would hold both slots all along.
    WEBHOOK_TIMEOUT_MS: '60000',
    WORKER_CONCURRENCY: '2',
    WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT: '1',
  });
}, 60_000);

afterAll(async () => {
  await service?.stop('SIGTERM');
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
  await Promise.all([origin?.close(), database?.drop(), rm(dataDir, { recursive: true, force: true })]);
});

const EVENTS = ['product.created', 'image.done', 'product.images_settled'];

describe('WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT', () => {
  it('lets a hung receiver hold one slot at most: another endpoint and the images go on', { timeout: 90_000 }, async () => {
    const ids: Record<string, string> = {};
    for (const path of ['hung', 'ok']) {
      const response = await fetch(`${service.url}/webhooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...ADMIN_AUTHORIZATION },
        body: JSON.stringify({ url: `${base}/${path}`, events: EVENTS }),
      });
      expect(response.status).toBe(201);
      ids[path] = ((await response.json()) as { id: string }).id;
    }
    const client = catalogClient(service.url);
    const user = await client.user();
    const photos = ['ladybird.jpg', 'progressive.jpg', 'cmyk.jpg'];
    const products = [];
    for (const photo of photos) products.push(await client.product(user, [`${origin.url}/images/${photo}`]));

    // Every image is done and the answering endpoint has every event (3 per product) while the hung one still hangs.
    for (const product of products) {
      const settled = await client.settled(product.id, 30_000);
      expect(settled.images.map((image) => image.status)).toEqual(['done']);
    }
    await eventually(() => expect(new Set(received.ok).size).toBe(3 * photos.length), { timeout: 30_000 });
    expect(received.hung).toBe(1);
    expect(received.maxOpen).toBe(1);
    // The hung endpoint saturates once and stays so. The answering one may fill its slot too while
    // its own deliveries overlap (the worker prefetches more than it compresses); it is logged apart.
    const capped = service.logs.filter((line) => line.msg === 'webhook endpoint at its in-flight cap; its further deliveries are deferred');
    expect(capped.filter((line) => line.webhook_id === ids.hung)).toHaveLength(1);
    expect(capped.every((line) => line.webhook_id === ids.hung || line.webhook_id === ids.ok)).toBe(true);
  });
});
