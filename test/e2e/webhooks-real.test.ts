import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTHORIZATION } from '../support/admin-key.js';
import { eventually } from '../support/eventually.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { useRabbitMq } from '../support/rabbitmq.js';
import { runToExit, spawnService, type SpawnedService } from '../support/spawn-service.js';
import { listenOnLoopback } from '../integration/undici/listen-on-loopback.js';

// The API and a worker as separate processes on real PostgreSQL and RabbitMQ, delivering to a
// receiver on 127.0.0.1 that verifies every signature with the standardwebhooks package.
const RETRY_DELAYS = [200, 400];
const rabbit = useRabbitMq();
let database: TestDatabase;
let dataDir: string;
let api: SpawnedService;
let worker: SpawnedService;
let env: Record<string, string>;

/** What an endpoint does with its n-th request (1-based). */
type Behaviour = (n: number) => 'ok' | 'fail' | 'hang' | 'slow';

interface Delivery {
  readonly endpoint: string;
  readonly id: string;
  readonly type: string;
  readonly verified: boolean;
  readonly body: { data: { product?: { id: number } } };
}

/** The local receiver: one path per endpoint, each with its own behaviour and secret. */
const receiver = {
  server: undefined as Server | undefined,
  base: '',
  behaviours: new Map<string, Behaviour>(),
  secrets: new Map<string, string>(),
  counts: new Map<string, number>(),
  deliveries: [] as Delivery[],
  of(endpoint: string) {
    return this.deliveries.filter((delivery) => delivery.endpoint === endpoint);
  },
  /** Distinct webhook-ids and how many repeats the endpoint saw. */
  dedupe(endpoint: string) {
    const ids = this.of(endpoint).map((delivery) => delivery.id);
    return { unique: new Set(ids).size, duplicates: ids.length - new Set(ids).size };
  },
};

function handle(request: IncomingMessage, response: ServerResponse, body: string): void {
  const endpoint = request.url!.slice(1);
  const n = (receiver.counts.get(endpoint) ?? 0) + 1;
  receiver.counts.set(endpoint, n);
  let verified = false;
  try {
    new Webhook(receiver.secrets.get(endpoint)!).verify(body, request.headers as Record<string, string>);
    verified = true;
  } catch {
    verified = false;
  }
  const parsed = JSON.parse(body) as Delivery['body'] & { type: string };
  receiver.deliveries.push({ endpoint, id: String(request.headers['webhook-id']), type: parsed.type, verified, body: parsed });
  const behaviour = receiver.behaviours.get(endpoint)?.(n) ?? 'ok';
  if (behaviour === 'hang') return;
  if (behaviour === 'slow') {
    setTimeout(() => response.writeHead(204).end(), 300);
    return;
  }
  response.writeHead(behaviour === 'ok' ? 204 : 500).end();
}

const spawnWorker = () => spawnService('worker.ts', env);

beforeAll(async () => {
  receiver.server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handle(request, response, Buffer.concat(chunks).toString('utf8')));
  });
  receiver.base = `http://127.0.0.1:${await listenOnLoopback(receiver.server)}`;
  [database, dataDir] = await Promise.all([createTestDatabase(), mkdtemp(join(tmpdir(), 'catalog-webhooks-'))]);
  env = {
    DATABASE_URL: database.url,
    AMQP_URL: rabbit.url,
    AMQP_PREFIX: rabbit.prefix(RETRY_DELAYS),
    DATA_DIR: dataDir,
    IMAGE_RETRY_DELAYS_MS: RETRY_DELAYS.join(','),
    OUTBOX_POLL_INTERVAL_MS: '200',
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    WEBHOOK_TIMEOUT_MS: '1000',
    WORKER_CONCURRENCY: '4',
  };
  [api, worker] = await Promise.all([spawnService('api.ts', env), spawnWorker()]);
}, 60_000);

afterAll(async () => {
  await Promise.all([api?.stop('SIGTERM'), worker?.stop('SIGTERM')]);
  receiver.server?.closeAllConnections();
  await new Promise((resolve) => receiver.server?.close(resolve));
  await Promise.all([database?.drop(), rm(dataDir, { recursive: true, force: true })]);
});

const post = async (path: string, body: unknown, authorization: Record<string, string> = ADMIN_AUTHORIZATION) =>
  fetch(`${api.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...authorization }, body: JSON.stringify(body) });

/** A user, its key, and an endpoint of that key for `events`, answering as `behaviour` says. */
async function givenEndpoint(endpoint: string, events: string[], behaviour: Behaviour = () => 'ok') {
  const userResponse = await post('/users', { name: 'Hooked', email: `${endpoint}-${Date.now()}@example.com` });
  expect(userResponse.status).toBe(201);
  const user = (await userResponse.json()) as { id: number; api_key: string };
  const bearer = { authorization: `Bearer ${user.api_key}` };
  receiver.behaviours.set(endpoint, behaviour);
  const response = await post('/webhooks', { url: `${receiver.base}/${endpoint}`, events }, bearer);
  expect(response.status).toBe(201);
  const webhook = (await response.json()) as { id: string; secret: string; user_id: number };
  expect(webhook).toMatchObject({ user_id: user.id, secret: expect.stringMatching(/^whsec_/) });
  receiver.secrets.set(endpoint, webhook.secret);
  return { userId: user.id, bearer, webhook };
}

const aProduct = async (user_id: number, name = 'Hooked product') => {
  const response = await post('/products', { user_id, product_name: name, product_description: 'd', product_images: [], product_price: 1 });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: number };
};

async function deliveriesOf(id: string, bearer: Record<string, string>) {
  const response = await fetch(`${api.url}/webhooks/${id}/deliveries`, { headers: bearer });
  expect(response.status).toBe(200);
  return (await response.json()) as { attempt: number; status: string; response_code: number | null; next_retry_at: string | null; error: string | null }[];
}

describe('webhooks on real services', () => {
  it('delivers each event once, signed, to its own user\'s endpoint only', { timeout: 60_000 }, async () => {
    const { userId, bearer, webhook } = await givenEndpoint('verified', ['product.created', 'product.updated']);
    const other = await givenEndpoint('other-user', ['product.created']);
    const product = await aProduct(userId);
    const patched = await fetch(`${api.url}/products/${product.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', ...bearer },
      body: JSON.stringify({ product_name: 'Renamed' }),
    });
    expect(patched.status).toBe(200);
    await eventually(() => expect(receiver.of('verified').map((delivery) => delivery.type).sort()).toEqual(['product.created', 'product.updated']));
    expect(receiver.of('verified').every((delivery) => delivery.verified && delivery.body.data.product?.id === product.id)).toBe(true);
    await eventually(async () => expect((await deliveriesOf(webhook.id, bearer)).map((attempt) => [attempt.status, attempt.response_code])).toEqual([['succeeded', 204], ['succeeded', 204]]));
    expect(receiver.of('other-user')).toEqual([]);
    // Another user's key cannot see the endpoint.
    expect((await fetch(`${api.url}/webhooks/${webhook.id}`, { headers: other.bearer })).status).toBe(404);
    const { duplicates } = receiver.dedupe('verified');
    console.log(`webhooks without kills: ${receiver.of('verified').length} deliveries, ${duplicates} duplicates`);
    expect(duplicates).toBe(0);
  });

  it('gets the event to an endpoint that answers 500 twice on the third attempt', { timeout: 60_000 }, async () => {
    const { userId, bearer, webhook } = await givenEndpoint('flaky', ['product.created'], (n) => (n <= 2 ? 'fail' : 'ok'));
    await aProduct(userId);
    await eventually(() => expect(receiver.of('flaky')).toHaveLength(3));
    expect(new Set(receiver.of('flaky').map((delivery) => delivery.id)).size).toBe(1);
    expect(receiver.of('flaky').every((delivery) => delivery.verified)).toBe(true);
    const attempts = await eventually(async () => {
      const listed = await deliveriesOf(webhook.id, bearer);
      expect(listed).toHaveLength(3);
      return listed;
    });
    expect(attempts.map((attempt) => [attempt.attempt, attempt.status, attempt.response_code])).toEqual([
      [3, 'succeeded', 204],
      [2, 'failed', 500],
      [1, 'failed', 500],
    ]);
    expect(attempts[1]!.next_retry_at).not.toBeNull();
    expect(attempts[0]!.next_retry_at).toBeNull();
  });

  it('dead-letters a delivery to an endpoint that never answers, and replays it', { timeout: 90_000 }, async () => {
    let answering = false;
    const { userId, bearer, webhook } = await givenEndpoint('silent', ['product.created'], () => (answering ? 'ok' : 'hang'));
    await aProduct(userId);
    const attempts = await eventually(async () => {
      const listed = await deliveriesOf(webhook.id, bearer);
      expect(listed[0]?.status).toBe('dead');
      return listed;
    }, { timeout: 30_000, interval: 100 });
    expect(attempts).toHaveLength(3);
    expect(attempts[0]).toMatchObject({ attempt: 3, response_code: null, error: 'no answer within 1000 ms', next_retry_at: null });

    const listed = await runToExit('dlq.ts', env, ['list']);
    expect(listed.code).toBe(0);
    const line = listed.stdout.split('\n').find((text) => text.includes(`webhook ${webhook.id}`));
    expect(line).toBeDefined();
    answering = true;
    const replayed = await runToExit('dlq.ts', env, ['replay', line!.split('\t')[0]!]);
    expect(replayed.stdout).toContain('replayed 1 dead letter');
    await eventually(async () => expect((await deliveriesOf(webhook.id, bearer))[0]).toMatchObject({ status: 'succeeded', response_code: 204 }));
    const ids = receiver.of('silent').map((delivery) => delivery.id);
    expect(new Set(ids).size).toBe(1);
    expect(receiver.of('silent').every((delivery) => delivery.verified)).toBe(true);
  });

  it('still delivers every event after the worker is SIGKILLed mid-delivery', { timeout: 120_000 }, async () => {
    const { userId } = await givenEndpoint('killed', ['product.created'], () => 'slow');
    const products = [];
    for (let i = 0; i < 12; i += 1) products.push(await aProduct(userId, `Killed ${i}`));
    // A request is in flight (the endpoint takes 300 ms to answer) when the worker dies.
    await eventually(() => expect(receiver.of('killed').length).toBeGreaterThanOrEqual(2));
    await worker.stop('SIGKILL');
    worker = await spawnWorker();
    await eventually(() => expect(receiver.dedupe('killed').unique).toBe(12), { timeout: 60_000, interval: 100 });
    const delivered = new Set(receiver.of('killed').map((delivery) => delivery.body.data.product?.id));
    expect([...delivered].sort()).toEqual(products.map((product) => product.id).sort());
    expect(receiver.of('killed').every((delivery) => delivery.verified)).toBe(true);
    const { duplicates } = receiver.dedupe('killed');
    console.log(`webhooks after a SIGKILL: ${receiver.of('killed').length} deliveries of 12 events, ${duplicates} duplicates`);
  });
});
