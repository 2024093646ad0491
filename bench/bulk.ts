/**
 * POST /products/bulk with an NDJSON body of 100,000 products (quick: 20,000), without images and
 * then with 2 image URLs each, on a database of its own: products/s and the API's and PostgreSQL's
 * CPU µs per product. The API runs as in production, on RabbitMQ (so without the embedded worker and
 * relay): it writes the products, images and outbox rows; no worker publishes or processes them.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import postgres from 'postgres';
import { ADMIN_AUTHORIZATION } from '../test/support/admin-key.js';
import { createTestDatabase } from '../test/support/postgres.js';
import { deleteTopology, rabbitMqUrl } from '../test/support/rabbitmq.js';
import type { BenchContext } from './context.js';
import type { BulkResult, BulkSample } from './bulk-report.js';
import { startCpuSplit } from './cpu-split.js';

const USERS = 10;

/** The NDJSON body: `count` products spread over `userIds`, each with `images` source URLs. */
export function bulkBody(count: number, userIds: readonly string[], images: number): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const product_images = Array.from({ length: images }, (_, n) => `https://images.example.com/bench/${i}-${n}.jpg`);
    lines.push(
      JSON.stringify({
        user_id: Number(userIds[i % userIds.length]),
        product_name: `Bulk product ${i}`,
        product_description: `Imported by the bulk benchmark, row ${i}`,
        product_price: (100 + (i % 90_000)) / 100,
        product_images,
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Sends one NDJSON import and reads the answer to its end; throws unless every item was created. */
async function importOnce(url: string, pid: number, body: string, count: number): Promise<BulkSample> {
  const loadAverage = loadavg()[0] as number;
  const split = await startCpuSplit(pid);
  const began = performance.now();
  const response = await fetch(new URL('/products/bulk', url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', ...ADMIN_AUTHORIZATION },
    body,
  });
  const text = await response.text();
  const seconds = (performance.now() - began) / 1000;
  const cpuUsPerProduct = await split(count);
  const created = text.split('\n').filter((line) => line.includes('"status":201')).length;
  if (response.status !== 200 || created !== count) throw new Error(`bulk import: ${response.status}, ${created} of ${count} created: ${text.slice(0, 500)}`);
  return { products: count, seconds, perSecond: count / seconds, cpuUsPerProduct, loadAverage };
}

export async function runBulk(ctx: BenchContext): Promise<BulkResult> {
  const count = ctx.mode === 'quick' ? 20_000 : 100_000;
  const database = await createTestDatabase();
  ctx.defer(() => database.drop());
  const sql = postgres(database.url, { max: 1, onnotice: () => undefined });
  const users = await sql<{ id: string }[]>`
    insert into users (name, email)
    select 'Bulk User ' || g, 'bulk-user-' || g || '@example.com' from generate_series(1, ${USERS}::int) as g
    returning id`;
  await sql.end({ timeout: 5 });
  const userIds = users.map((row) => String(row.id));
  const amqpUrl = await rabbitMqUrl();
  const prefix = `bench-bulk-${randomBytes(4).toString('hex')}`;
  ctx.defer(() => deleteTopology(amqpUrl, prefix));
  const api = await ctx.startApi({ DATABASE_URL: database.url, REDIS_URL: ctx.redisUrl, REDIS_PREFIX: `${ctx.redisPrefix}bulk:`, AMQP_URL: amqpUrl, AMQP_PREFIX: prefix });
  const pid = api.child.pid as number;
  // A small import first, so the measured ones find the statements prepared and the JIT warm.
  await importOnce(api.url, pid, bulkBody(2_000, userIds, 0), 2_000);
  const withoutImages = await importOnce(api.url, pid, bulkBody(count, userIds, 0), count);
  ctx.log(`bulk ${count} without images: ${Math.round(withoutImages.perSecond)} products/s`);
  const withImages = await importOnce(api.url, pid, bulkBody(count, userIds, 2), count);
  ctx.log(`bulk ${count} with 2 images each: ${Math.round(withImages.perSecond)} products/s`);
  await api.stop('SIGTERM');
  return { products: count, withoutImages, withImages, per_second: Math.round(withoutImages.perSecond) };
}
