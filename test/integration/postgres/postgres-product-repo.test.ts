import { beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres, PostgresProductRepo, type PostgresConnection } from '../../../src/adapters/postgres/index.js';
import { drain } from '../../contracts/given.js';
import type { RepoFixture } from '../../contracts/repo-fixture.js';
import { eventually } from '../../support/eventually.js';
import { aKey, aNewProduct, aNewUser, anImageResult } from '../../support/mothers.js';
import { usePostgres } from '../../support/postgres.js';
import { postgresRepos } from '../../support/postgres-repos.js';

const db = usePostgres();
let connection: PostgresConnection;
let repos: RepoFixture;
let products: RepoFixture['products'];
let jobs: RepoFixture['jobs'];
let references: RepoFixture['references'];

beforeAll(() => {
  connection = db.connection;
  repos = postgresRepos(connection);
  ({ products, jobs, references } = repos);
});

async function givenUserId(): Promise<number> {
  const created = await repos.users.create(aNewUser());
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
    const created = await products.create(aNewProduct(await givenUserId()), { idempotency: { key: 'recorded-key', fingerprint: 'fp-1' } });
    if (!created.ok) throw new Error(created.error);
    const [row] = await connection.client`select fingerprint, product_id, response from idempotency_keys where key = 'recorded-key'`;
    expect(row).toMatchObject({ fingerprint: 'fp-1', product_id: String(created.value.product.id) });
    expect(row?.response).toMatchObject({ id: created.value.product.id, product_name: created.value.product.product_name });
  });

  it('creates one product when processes with separate pools race on one key', async () => {
    const other = await connectPostgres({ url: db.url, max: 4 });
    try {
      const userId = await givenUserId();
      const input = aNewProduct(userId);
      const pools = [products, new PostgresProductRepo(other)];
      const key = { key: `race-${userId}`, fingerprint: 'same-body' };
      const results = await Promise.all(Array.from({ length: 16 }, (_, i) => pools[i % 2]!.create(input, { idempotency: key })));
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

  it('completes, replaces and cleans up one product\'s images at once without deadlocking', async () => {
    const urls = Array.from({ length: 10 }, (_, i) => `https://i.example/busy-${i}.jpg`);
    const id = await givenProductId(urls);
    const before = (await products.findById(id))!;
    const results = before.images.map(() => anImageResult());
    const orders = [[...urls].reverse(), urls.slice(3), [...urls.slice(5), 'https://i.example/new.jpg'], urls];
    const settled = await Promise.allSettled([
      ...before.images.map(async (image, i) => {
        await jobs.start(image.id, 1);
        return jobs.complete(image.id, 1, results[i]!);
      }),
      ...orders.map((order) => products.update(id, { product_images: order })),
      ...results.map(async (result) => {
        const token = await references.beginDeletion(result.key, 60_000);
        if (token !== null) await references.endDeletion(result.key, token);
      }),
      ...before.images.map((image) => jobs.fail(image.id, 1, 'image.timeout: slow', false)),
    ]);
    expect(settled.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
    const after = (await products.findById(id))!;
    expect(after.images.map((image) => image.position)).toEqual(after.product_images.map((_, i) => i));
  });

  it('locks the product before the image in complete, as update does, so the two cannot deadlock', async () => {
    const id = await givenProductId(['https://i.example/order.jpg']);
    const image = (await products.findById(id))!.images[0]!;
    const waiting = async () => {
      const [row] = await connection.client`
        select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
      return row?.n;
    };
    // Plays update(): holds the product row, then touches its image row.
    const updater = await connection.client.reserve();
    try {
      await updater`begin`;
      await updater`select id from products where id = ${id} for update`;
      const completion = jobs.complete(image.id, 1, anImageResult());
      await eventually(async () => expect(await waiting()).toBe(1), { timeout: 10_000 });
      await updater`update product_images set updated_at = now() where id = ${image.id}`;
      await updater`commit`;
      expect(await completion).toBe(2);
    } finally {
      updater.release();
    }
  });

  it('serializes complete, addImage and beginDeletion on the key\'s advisory lock', async () => {
    const id = await givenProductId(['https://i.example/locked.jpg']);
    const image = (await products.findById(id))!.images[0]!;
    const result = anImageResult();
    const upload = `originals/${aKey()}.png`;
    // Holds both keys' locks the way a transaction of one of those calls would; the three calls
    // then take the pool's other connections, so the holder itself counts who waits.
    const holder = await connection.client.reserve();
    const blocked = async () => {
      const [row] = await holder`
        select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database())`;
      return row?.n;
    };
    try {
      await holder`begin`;
      await holder`select pg_advisory_xact_lock(hashtextextended(${result.key}, 0)), pg_advisory_xact_lock(hashtextextended(${upload}, 0))`;
      const calls = [
        jobs.complete(image.id, 1, result),
        references.beginDeletion(result.key, 60_000),
        products.addImage(id, { source_url: 'https://u.example/a.png', source_key: upload }),
      ];
      await eventually(async () => expect(await blocked()).toBe(3), { timeout: 10_000 });
      await holder`commit`;
      const [completed, deletion, added] = await Promise.all(calls);
      // The product's version depends on which of complete and addImage got the lock first.
      expect(completed).toEqual(expect.any(Number));
      // Whichever ran first after the commit, a deletion never overlaps the reference it races.
      if (deletion !== null) expect(await references.deletionInProgress(result.key)).toBe(true);
      expect(added).toMatchObject({ ok: true });
    } finally {
      holder.release();
    }
  });

  it('finds references to a key through the partial key indexes', async () => {
    const plan = await connection.client.begin(async (tx) => {
      await tx`set local enable_seqscan = off`;
      return tx`explain select id from product_images where compressed_key = 'k' or source_key = 'k' limit 1`;
    });
    expect(JSON.stringify(plan)).toContain('product_images_compressed_key_idx');
    expect(JSON.stringify(plan)).toContain('product_images_source_key_idx');
  });

  it('wakes the relays when it requeues images', async () => {
    const { outbox } = repos;
    // Settle what earlier tests left unfinished, so the counts below are this test's own.
    await connection.client`update product_images set status = 'failed' where status not in ('done', 'failed')`;
    const id = await givenProductId(['https://i.example/requeued.jpg']);
    await drain(outbox);
    let calls = 0;
    const unsubscribe = await outbox.onAdded(() => {
      calls += 1;
    });
    try {
      expect(await jobs.requeueUnfinished()).toBe(1);
      await eventually(() => expect(calls).toBe(1), { timeout: 10_000 });
      await connection.client`update product_images set status = 'done' where product_id = ${id}`;
      expect(await jobs.requeueUnfinished()).toBe(0);
    } finally {
      await unsubscribe();
    }
    expect((await drain(outbox)).map((message) => message.task)).toEqual([
      { type: 'image.process', product_id: id, image_id: expect.any(Number), version: 2 },
    ]);
  });
});
