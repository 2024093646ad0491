import { beforeAll, describe, expect, it } from 'vitest';
import { PostgresImageJobs, PostgresProductRepo, PostgresUserRepo, type PostgresConnection } from '../../../src/adapters/postgres/index.js';
import type { Product } from '../../../src/domain/index.js';
import { eventually } from '../../support/eventually.js';
import { aKey, aNewProduct, aNewUser, anImageResult } from '../../support/mothers.js';
import { usePostgres } from '../../support/postgres.js';

const db = usePostgres();
let connection: PostgresConnection;
let products: PostgresProductRepo;
let jobs: PostgresImageJobs;

beforeAll(() => {
  connection = db.connection;
  products = new PostgresProductRepo(connection);
  jobs = new PostgresImageJobs(connection);
});

async function givenProduct(urls: string[]): Promise<Product> {
  const user = await new PostgresUserRepo(connection).create(aNewUser());
  if (!user.ok) throw new Error(user.error);
  const created = await products.create(aNewProduct(user.value.id, { product_images: urls }));
  if (!created.ok) throw new Error(created.error);
  return created.value.product;
}

/** Sessions of this database waiting for a lock. */
async function waitingForLocks(): Promise<number | undefined> {
  const [row] = await connection.client`
    select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
  return row?.n;
}

/**
 * Plays update() in a transaction of its own: takes the product row, waits until `call` blocks
 * on it, then touches the image row with `touchImage` and commits. Had `call` locked the image
 * row first, the two would deadlock here.
 */
async function whileProductLocked<T>(product: Product, call: () => Promise<T>, touchImage: string): Promise<T> {
  const updater = await connection.client.reserve();
  try {
    await updater`begin`;
    await updater`update products set version = version + 1 where id = ${product.id}`;
    const pending = call();
    await eventually(async () => expect(await waitingForLocks()).toBe(1), { timeout: 10_000 });
    await updater.unsafe(touchImage, [product.images[0]!.id]);
    await updater`commit`;
    return await pending;
  } finally {
    updater.release();
  }
}

describe('Product versions on PostgreSQL', () => {
  it('numbers a start and an update racing on one product 2 and 3, without deadlocking, 20 times over', async () => {
    const urls = ['https://i.example/a.jpg', 'https://i.example/b.jpg'];
    for (let round = 0; round < 20; round += 1) {
      const product = await givenProduct(urls);
      const image = product.images[0]!;
      // The update moves the image rows, so both statements lock the product and image rows.
      const [work, updated] = await Promise.all([
        jobs.start(image.id, 1),
        products.update(product.id, { product_name: `Round ${round}`, product_images: [...urls].reverse() }),
      ]);
      expect([work?.product_version, updated?.version].sort()).toEqual([2, 3]);
      expect(await products.findById(product.id)).toMatchObject({ version: 3, images: [{ status: 'pending' }, { id: image.id, status: 'processing' }] });
    }
  });

  it('numbers failures and completions racing with updates without gaps or deadlocks', async () => {
    const product = await givenProduct(Array.from({ length: 6 }, (_, i) => `https://i.example/race-${i}.jpg`));
    const outcomes = await Promise.all([
      ...product.images.map((image, i) =>
        i % 2 === 0 ? jobs.fail(image.id, 1, 'image.timeout: slow', false) : jobs.complete(image.id, 1, anImageResult()),
      ),
      ...product.images.map((_, i) => products.update(product.id, { product_price: i }).then((updated) => updated?.version ?? null)),
    ]);
    // Six image calls and six updates, each applied once: every version from 2 to 13 handed out once.
    expect([...outcomes].sort((a, b) => a! - b!)).toEqual(Array.from({ length: 12 }, (_, i) => i + 2));
    expect((await products.findById(product.id))?.version).toBe(13);
  });

  it('starts an image only once it holds the product row, and returns the version after the wait', async () => {
    const product = await givenProduct(['https://i.example/start.jpg']);
    const work = await whileProductLocked(product, () => jobs.start(product.images[0]!.id, 1), 'update product_images set updated_at = now() where id = $1');
    expect(work).toMatchObject({ image_id: product.images[0]!.id, attempts: 1, product_version: 3 });
  });

  it('records a failure only once it holds the product row, and returns the version after the wait', async () => {
    const product = await givenProduct(['https://i.example/fail.jpg']);
    const failure = () => jobs.fail(product.images[0]!.id, 1, 'image.timeout: slow', true);
    expect(await whileProductLocked(product, failure, 'update product_images set updated_at = now() where id = $1')).toBe(3);
    expect((await products.findById(product.id))?.images[0]).toMatchObject({ status: 'failed', error: 'image.timeout: slow' });
  });

  it('bumps nothing when the image was dropped while the call waited for the product row', async () => {
    const product = await givenProduct(['https://i.example/dropped.jpg']);
    const image = product.images[0]!;
    expect(await whileProductLocked(product, () => jobs.start(image.id, 1), 'delete from product_images where id = $1')).toBeNull();
    expect(await products.findById(product.id)).toMatchObject({ version: 2, images: [] });
    const requeued = await givenProduct(['https://i.example/requeued.jpg']);
    const stale = () => jobs.fail(requeued.images[0]!.id, 1, 'stale', false);
    expect(await whileProductLocked(requeued, stale, 'update product_images set version = version + 1 where id = $1')).toBeNull();
    expect((await products.findById(requeued.id))?.version).toBe(2);
  });

  it('replays a snapshot recorded before products had versions as version 1', async () => {
    const product = await givenProduct([]);
    const { version: _version, ...unversioned } = product;
    const key = aKey();
    await connection.client`
      insert into idempotency_keys (key, fingerprint, product_id, response)
      values (${key}, 'fp', ${product.id}, ${JSON.stringify(unversioned)}::jsonb)`;
    const input = aNewProduct(product.user_id, { product_images: [] });
    const replayed = await products.create(input, { idempotency: { key, fingerprint: 'fp' } });
    expect(replayed).toEqual({ ok: true, value: { product, replayed: true } });
  });

  it('gives rows that predate the column version 1', async () => {
    const [column] = await connection.client`
      select column_default, is_nullable from information_schema.columns where table_name = 'products' and column_name = 'version'`;
    expect(column).toEqual({ column_default: '1', is_nullable: 'NO' });
  });
});
