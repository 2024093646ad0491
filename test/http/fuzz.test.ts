import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/main/config.js';
import { createLogger } from '../../src/main/logger.js';
import { startService, type RunningService } from '../../src/main/start-service.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { ADMIN_AUTHORIZATION, TEST_ADMIN_KEY } from '../support/admin-key.js';
import { redisUrl } from '../support/redis.js';
import { testImagesDir } from '../support/testdata.js';
import { violations } from './fuzz/checks.js';
import { operationsOf, type Operation } from './fuzz/document.js';
import { requestsFor, type FuzzRequest, type Pool } from './fuzz/requests.js';

// The spec-driven fuzzer of the hardening issue: requests generated from the served OpenAPI
// document, valid and hostile, sent over a socket to the service as `npm start` runs it, on
// real PostgreSQL and Redis. Any 5xx, undeclared status, non-problem 4xx, body off its schema,
// or error-level log line fails the run. FUZZ_SEED replays a run; FUZZ_REQUESTS sets its size.
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_202);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 3000);

type LogLine = { level: string; msg: string };

/** The /files keys in a JSON answer. */
const keysIn = (text: string) => [...text.matchAll(/\/files\/([^"?]+)/g)].map(([, key]) => decodeURIComponent(key!));

/** A request the service answered against the document, shortened for the report. */
class Failure extends Error {
  constructor(request: FuzzRequest, received: { status: number; body: Buffer }, found: string[]) {
    const body = typeof request.body === 'string' ? request.body : request.body && JSON.stringify(Buffer.from(request.body).toString('latin1'));
    super(
      [
        `${request.method} ${request.target.slice(0, 400)} (valid: ${request.valid})`,
        `  headers: ${JSON.stringify(request.headers).slice(0, 300)}`,
        `  body: ${String(body ?? '').slice(0, 300)}`,
        `  answered ${received.status}: ${received.body.subarray(0, 300).toString('utf8')}`,
        ...found.map((line) => `  - ${line}`),
      ].join('\n'),
    );
  }
}

/** The operations the fuzzer leaves out, and why: none today. */
const EXCLUDED: Record<string, string> = {};

describe('the OpenAPI-driven fuzzer', () => {
  let database: TestDatabase;
  let dataDir: string;
  let service: RunningService;
  let base: string;
  let operations: Operation[];
  const logs: LogLine[] = [];
  const pool: Pool = { userIds: [], productIds: [], imageIds: [], webhookIds: [], fileKeys: [], cursors: { '/products': [], '/webhooks': [] }, keys: { admin: TEST_ADMIN_KEY, users: [] }, revokedKeys: [], uploads: [] };
  const sent = new Map<string, number>();
  /** Statuses answered, per operation: `listProducts` → { 200: 120, 400: 80 }. */
  const answered = new Map<string, Map<number, number>>();

  const send = async (request: FuzzRequest) => {
    const response = await fetch(base + request.target, {
      method: request.method,
      headers: request.headers,
      ...(request.body !== undefined && { body: request.body }),
      redirect: 'manual',
    });
    return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
  };

  /** Keeps the pool in step with what the service holds: new products and files in, deleted ones out. */
  const learn = (operation: Operation, request: FuzzRequest, received: { status: number; body: Buffer }) => {
    const text = received.body.toString('utf8');
    if (operation.id === 'createProduct' && received.status === 201) {
      const created = JSON.parse(text) as { id: number; images: { id: number }[] };
      pool.productIds.push(created.id);
      pool.imageIds.push(...created.images.map((image) => image.id));
    }
    if (operation.id === 'createWebhook' && received.status === 201) pool.webhookIds.push((JSON.parse(text) as { id: string }).id);
    if (operation.id === 'createUser' && received.status === 201) pool.userIds.push((JSON.parse(text) as { id: number }).id);
    if (operation.id === 'createUserApiKey' && received.status === 201) {
      const created = JSON.parse(text) as { api_key: string; id: string; user_id: number };
      pool.keys.users.push({ userId: created.user_id, key: created.api_key, keyId: created.id });
    }
    if (operation.id === 'revokeUserApiKey' && received.status === 204) {
      const keyId = new URL(request.target, base).pathname.split('/')[4];
      const revoked = pool.keys.users.findIndex((entry) => entry.keyId === keyId);
      if (revoked >= 0) pool.revokedKeys.push(...pool.keys.users.splice(revoked, 1).map((entry) => entry.key));
    }
    if (operation.id === 'uploadProductImage' && received.status === 202) pool.fileKeys.push(...keysIn(text));
    if (operation.id === 'deleteProduct' && received.status === 204) {
      const id = Number(new URL(request.target, base).pathname.split('/')[2]);
      pool.productIds.splice(pool.productIds.indexOf(id) >>> 0, 1);
    }
  };

  const json = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(base + path, {
      method,
      headers: { 'content-type': 'application/json', ...ADMIN_AUTHORIZATION },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: number; api_key?: string };
  };
  const keyIdOf = (key: string) => key.split('_')[2]!;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'catalog-fuzz-'));
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line) as LogLine);
        done();
      },
    });
    const config = loadConfig({
      DATABASE_URL: database.url,
      DATABASE_POOL_MAX: '4',
      REDIS_URL: await redisUrl(),
      REDIS_PREFIX: `test-fuzz-${randomBytes(4).toString('hex')}`,
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: '0',
      // Images are only ever loopback URLs, which the fetcher refuses: nothing leaves the machine.
      IMAGE_RETRY_DELAYS_MS: '10',
      // Auth on, as deployed; quotas far above a run's requests, so that 429 comes only from a bug.
      ADMIN_API_KEY: TEST_ADMIN_KEY,
      RATE_LIMIT_WRITES: '10000000',
      RATE_LIMIT_READS: '10000000',
    });
    service = await startService(config, createLogger('warn', stream), ['api']);
    base = service.url!;
    operations = await operationsOf((await (await fetch(`${base}/openapi.json`)).json()) as Record<string, unknown>);

    const png = await sharp({ create: { width: 24, height: 16, channels: 3, background: '#3a7' } }).png().toBuffer();
    const jpeg = await sharp(png).jpeg().toBuffer();
    pool.uploads.push(
      { name: 'tiny.png', type: 'image/png', bytes: png, image: true },
      { name: 'tiny.jpg', type: 'image/jpeg', bytes: jpeg, image: true },
      { name: 'not-an-image.jpg', type: 'image/jpeg', bytes: await readFile(join(testImagesDir(), 'hostile', 'not-an-image.jpg')), image: false },
      { name: 'truncated.jpg', type: 'image/jpeg', bytes: jpeg.subarray(0, jpeg.length >> 1), image: false },
      { name: 'empty', type: 'application/octet-stream', bytes: new Uint8Array(), image: false },
    );
    for (const index of [1, 2, 3]) {
      const user = await json('POST', '/users', { name: `Fuzz ${index}`, email: `fuzz-${index}-${randomBytes(4).toString('hex')}@example.test` });
      pool.userIds.push(user.id);
      pool.keys.users.push({ userId: user.id, key: user.api_key!, keyId: keyIdOf(user.api_key!) });
      const revoked = (await json('POST', `/users/${user.id}/api-keys`)).api_key!;
      const revoking = await fetch(`${base}/users/${user.id}/api-keys/${keyIdOf(revoked)}`, { method: 'DELETE', headers: ADMIN_AUTHORIZATION });
      expect(revoking.status).toBe(204);
      pool.revokedKeys.push(revoked);
      for (const n of [1, 2, 3]) {
        const images = n === 1 ? [] : [`http://127.0.0.1/${index}-${n}.jpg`];
        pool.productIds.push((await json('POST', '/products', { user_id: user.id, product_name: `P${n}`, product_description: '', product_images: images, product_price: n })).id);
      }
    }
    const form = new FormData();
    form.append('file', new Blob([png], { type: 'image/png' }), 'tiny.png');
    const upload = await fetch(`${base}/products/${pool.productIds[0]}/images`, { method: 'POST', body: form, headers: ADMIN_AUTHORIZATION });
    expect(upload.status).toBe(202);
    pool.fileKeys.push(...keysIn(await upload.text()));
    expect(pool.fileKeys.length).toBeGreaterThan(0);
    for (const userId of pool.userIds) {
      const page = await fetch(`${base}/products?user_id=${userId}&limit=1`, { headers: ADMIN_AUTHORIZATION });
      const next = /<([^>]+)>; rel="next"/.exec(page.headers.get('link') ?? '')?.[1];
      pool.cursors['/products']!.push(new URL(next!, base).searchParams.get('cursor')!);
    }
    // A webhooks cursor, from a page of two endpoints then removed: ones left registered would get
    // the run's events and dead-letter them (their hosts do not exist). The cursor stays valid.
    const hookIds: string[] = [];
    for (const index of [1, 2]) hookIds.push(String((await json('POST', '/webhooks', { url: `https://hooks.example/fuzz-${index}`, events: ['image.done'] })).id));
    const hooks = await fetch(`${base}/webhooks?limit=1`, { headers: ADMIN_AUTHORIZATION });
    const nextHooks = /<([^>]+)>; rel="next"/.exec(hooks.headers.get('link') ?? '')?.[1];
    pool.cursors['/webhooks']!.push(new URL(nextHooks!, base).searchParams.get('cursor')!);
    for (const id of hookIds) expect((await fetch(`${base}/webhooks/${id}`, { method: 'DELETE', headers: ADMIN_AUTHORIZATION })).status).toBe(204);
  }, 60_000);

  afterAll(async () => {
    await service?.close();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('covers every operation of the document', () => {
    expect(operations.length).toBeGreaterThan(10);
    const skipped = operations.filter((operation) => operation.id in EXCLUDED);
    expect(skipped).toEqual([]);
  });

  it('answers every generated request as the document says', { timeout: 600_000 }, async () => {
    const runs = Math.ceil(REQUESTS / operations.length);
    // Deletes last, so that the other operations keep finding the pool's products and files.
    const ordered = [...operations].sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
    for (const operation of ordered) {
      const result = await fc.check(
        fc.asyncProperty(requestsFor(operation, pool), async (request) => {
          sent.set(operation.id, (sent.get(operation.id) ?? 0) + 1);
          const received = await send(request);
          const counts = answered.get(operation.id) ?? new Map<number, number>();
          answered.set(operation.id, counts.set(received.status, (counts.get(received.status) ?? 0) + 1));
          learn(operation, request, received);
          const found = violations(operation, request, received);
          if (found.length) throw new Failure(request, received, found);
        }),
        { seed: SEED, numRuns: runs, endOnFailure: true },
      );
      if (result.failed) {
        const cause = result.errorInstance;
        throw cause instanceof Failure ? new Error(`${operation.id}, FUZZ_SEED=${SEED}: ${cause.message}`) : cause;
      }
    }
    if (process.env.FUZZ_REPORT) for (const [id, counts] of answered) console.log(id, Object.fromEntries(counts));
    const total = [...sent.values()].reduce((sum, count) => sum + count, 0);
    expect(total).toBeGreaterThanOrEqual(REQUESTS);
  });

  it('logged no error while it ran', () => {
    const errors = logs.filter((line) => line.level === 'error' || line.level === 'fatal');
    expect(errors.map((line) => line.msg)).toEqual([]);
  });
});
