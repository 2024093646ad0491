import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectPostgres,
  PostgresProductRepo,
  PostgresUserRepo,
  type PostgresConnection,
} from '../../../src/adapters/postgres/index.js';
import { aNewProduct, aNewUser } from '../../support/mothers.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.js';

let database: TestDatabase;
let connection: PostgresConnection;
let products: PostgresProductRepo;

beforeAll(async () => {
  database = await createTestDatabase();
  connection = await connectPostgres({ url: database.url, max: 4 });
  products = new PostgresProductRepo(connection);
});

afterAll(async () => {
  await connection?.close();
  await database?.drop();
});

async function givenUserId(): Promise<number> {
  const created = await new PostgresUserRepo(connection).create(aNewUser());
  if (!created.ok) throw new Error(created.error);
  return created.value.id;
}

async function givenProductId(urls?: string[]): Promise<number> {
  const created = await products.create(aNewProduct(await givenUserId(), urls ? { product_images: urls } : {}));
  if (!created.ok) throw new Error(created.error);
  return created.value.product.id;
}

describe('PostgresProductRepo on PostgreSQL', () => {
  it('stores prices as exact NUMERIC(12,2)', async () => {
    const created = await products.create(aNewProduct(await givenUserId(), { product_price: 19.9 }));
    if (!created.ok) throw new Error(created.error);
    const [row] = await connection.client`select product_price::text as price from products where id = ${created.value.product.id}`;
    expect(row?.price).toBe('19.90');
  });

  it('keeps the pipeline results of images that move', async () => {
    const id = await givenProductId(['https://i.example/a.jpg', 'https://i.example/b.jpg']);
    await connection.client`
      update product_images set status = 'done', compressed_url = 'https://cdn.example/a.webp', width = 640,
        height = 480, bytes = 12345, format = 'webp', attempts = 1
      where product_id = ${id} and position = 0`;
    const updated = await products.update(id, { product_images: ['https://i.example/c.jpg', 'https://i.example/a.jpg'] });
    expect(updated?.images[1]).toMatchObject({
      position: 1,
      source_url: 'https://i.example/a.jpg',
      status: 'done',
      compressed_url: 'https://cdn.example/a.webp',
      width: 640,
      height: 480,
      bytes: 12345,
      format: 'webp',
      attempts: 1,
    });
    expect(updated?.compressed_product_images).toEqual(['https://cdn.example/a.webp']);
  });

  it('deletes the image rows with the product', async () => {
    const id = await givenProductId();
    expect(await products.delete(id)).toBe(true);
    const [row] = await connection.client`select count(*)::int as images from product_images where product_id = ${id}`;
    expect(row?.images).toBe(0);
  });

  it('records the key with its fingerprint and the product snapshot', async () => {
    const created = await products.create(aNewProduct(await givenUserId()), { key: 'recorded-key', fingerprint: 'fp-1' });
    if (!created.ok) throw new Error(created.error);
    const [row] = await connection.client`select fingerprint, product_id, response from idempotency_keys where key = 'recorded-key'`;
    expect(row).toMatchObject({ fingerprint: 'fp-1', product_id: String(created.value.product.id) });
    expect(row?.response).toMatchObject({ id: created.value.product.id, product_name: created.value.product.product_name });
  });

  it('creates one product when processes with separate pools race on one key', async () => {
    const other = await connectPostgres({ url: database.url, max: 4 });
    try {
      const userId = await givenUserId();
      const input = aNewProduct(userId);
      const repos = [products, new PostgresProductRepo(other)];
      const key = { key: `race-${userId}`, fingerprint: 'same-body' };
      const results = await Promise.all(Array.from({ length: 16 }, (_, i) => repos[i % 2]!.create(input, key)));
      expect(results.filter((result) => result.ok && !result.value.replayed)).toHaveLength(1);
      const [row] = await connection.client`select count(*)::int as n from products where user_id = ${userId}`;
      expect(row?.n).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('serializes concurrent image replacements of one product', async () => {
    const urls = ['https://i.example/1.jpg', 'https://i.example/2.jpg', 'https://i.example/3.jpg', 'https://i.example/4.jpg'];
    const id = await givenProductId(urls);
    const orders = [urls, [...urls].reverse(), [urls[2]!, urls[0]!, 'https://i.example/5.jpg'], [urls[1]!, urls[3]!]];
    const results = await Promise.all(orders.map((order) => products.update(id, { product_images: order })));
    const final = await products.findById(id);
    expect(results.map((result) => result?.product_images)).toEqual(orders);
    expect(orders).toContainEqual(final?.product_images);
    expect(final?.images.map((image) => image.position)).toEqual(final?.product_images.map((_, i) => i));
  });

  it('lets database errors it does not translate reach the caller', async () => {
    const userId = await givenUserId();
    await expect(products.create(aNewProduct(userId, { product_price: -1 }))).rejects.toThrow();
    const [row] = await connection.client`select count(*)::int as n from products where user_id = ${userId}`;
    expect(row?.n).toBe(0);
  });

  it('keeps queries in flight within the pool size', async () => {
    const id = await givenProductId();
    const reads = Array.from({ length: 12 }, () => products.findById(id));
    expect(connection.limiter.active).toBe(4);
    expect(connection.limiter.waiting).toBe(8);
    expect((await Promise.all(reads)).every((product) => product?.id === id)).toBe(true);
    expect(connection.limiter.active).toBe(0);
  });

  it('uses the trigram index for a name search', async () => {
    // Plans are not timed here (benchmarks do that); this checks the index exists and applies.
    const plan = await connection.client.begin(async (tx) => {
      await tx`set local enable_seqscan = off`;
      return tx`explain select id from products where product_name ilike '%lamp%'`;
    });
    expect(JSON.stringify(plan)).toContain('products_name_trgm_idx');
  });
});
