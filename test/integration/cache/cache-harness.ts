import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { createHttpApp } from '../../../src/adapters/http/index.js';
import { connectPostgres, type PostgresConnection } from '../../../src/adapters/postgres/index.js';
import type { ApiDeps, WorkerDeps } from '../../../src/application/index.js';
import type { Built, ServiceDeps } from '../../../src/main/build-deps.js';
import { sendingAdminKey } from '../../support/admin-key.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.js';
import { TEST_COMMAND_TIMEOUT_MS } from '../../support/redis.js';
import { serviceDeps } from '../../support/service-deps.js';

/** One service instance: its own pool, Redis client and reader, sharing the database and Redis server. */
export interface Instance {
  readonly app: ReturnType<typeof createHttpApp>;
  readonly deps: ApiDeps;
  readonly worker: WorkerDeps;
}

/** A database plus any number of app instances over one Redis server and key prefix. */
export async function cacheHarness() {
  const database: TestDatabase = await createTestDatabase();
  const connection: PostgresConnection = await connectPostgres({ url: database.url, max: 8 });
  const prefix = `test-cache-${randomBytes(4).toString('hex')}`;
  const built: Built<ServiceDeps>[] = [];
  const logger = pino({ level: 'silent' });

  return {
    connection,
    async instance(redisUrl: string): Promise<Instance> {
      const service = await serviceDeps({
        DATABASE_URL: database.url,
        DATABASE_POOL_MAX: '4',
        REDIS_URL: redisUrl,
        REDIS_PREFIX: prefix,
        // A busy CI machine must not turn a healthy command into a timeout (fail-open would hide it).
        REDIS_COMMAND_TIMEOUT_MS: String(TEST_COMMAND_TIMEOUT_MS),
      });
      built.push(service);
      const { api, worker, metrics } = service.deps;
      return { app: sendingAdminKey(createHttpApp({ deps: api, logger, metrics })), deps: api, worker };
    },
    async close() {
      for (const service of built) await service.close();
      await connection.close();
      await database.drop();
    },
  };
}

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** A user and a product created through `instance`; returns the product id. */
export async function seedProduct(instance: Instance, price = 10): Promise<number> {
  const user = await instance.app.request('/users', json('POST', { name: 'Cache', email: `c-${randomBytes(6).toString('hex')}@example.com` }));
  const { id: user_id } = (await user.json()) as { id: number };
  const product = await instance.app.request(
    '/products',
    json('POST', { user_id, product_name: 'Cached', product_description: '', product_images: [], product_price: price }),
  );
  return ((await product.json()) as { id: number }).id;
}

/** PATCHes the price through `instance`. */
export async function setPrice(instance: Instance, id: number, price: number): Promise<Response> {
  return instance.app.request(`/products/${id}`, json('PATCH', { product_price: price }));
}

/** GETs the product: status, price and the X-Cache header. */
export async function read(instance: Instance, id: number) {
  const response = await instance.app.request(`/products/${id}`);
  const body = response.status === 200 ? ((await response.json()) as { product_price: number }) : undefined;
  return { status: response.status, price: body?.product_price, cache: response.headers.get('x-cache'), etag: response.headers.get('etag') };
}
