import { and, eq, gt, inArray, ne, sql, type SQLWrapper } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { imageProcessTask, objectDeleteTasks, type ImageJobs, type ImageRecovery, type ReuseOutcome } from '../../application/index.js';
import { finishedImage, type ImageResult, type ImageWork } from '../../domain/index.js';
import type { Connection, Database } from './connection.js';
import { imageEvents } from './event-tasks.js';
import { lockKey } from './key-lock.js';
import type { Limiter } from './limiter.js';
import { enqueue } from './outbox-tasks.js';
import { bumpedVersion } from './product-rows.js';
import { rowsOf } from './rows-of.js';
import { objectDeletions, productImages, products } from './schema.js';

/** The image row at this version, unless it is done already. */
const at = (id: number | SQLWrapper, version: number | SQLWrapper) =>
  and(eq(productImages.id, id), eq(productImages.version, version), ne(productImages.status, 'done'));

/**
 * A prepared single statement that applies `set` to the image row `$id` if it is still at
 * `$version` and not done, and bumps its product's version:
 *
 *     with owner as (select products.id … where product_images.id = $id for update of products),
 *          changed as (update product_images set … from owner where <guard> and product_id = owner.id returning …)
 *     update products set version = version + 1 from changed where products.id = changed.product_id returning …
 *
 * The image update only acts on rows joined to `owner`, so the product row is locked before the
 * image row, the order update() takes them in; and the product is bumped only for a changed row,
 * so a moot call (another version, done, dropped, or changed while this waited for the lock, which
 * the image update's recheck sees) changes nothing. `updated_at` stays: it is the last change of
 * the product's own data.
 */
function imageChange(
  db: Database,
  set: PgUpdateSetSource<typeof productImages>,
  id: number | SQLWrapper = sql.placeholder('id'),
  version: number | SQLWrapper = sql.placeholder('version'),
) {
  const owner = db.$with('owner').as(
    db
      .select({ id: products.id, old_source_key: sql<string | null>`${productImages.source_key}`.as('old_source_key') })
      .from(products)
      .innerJoin(productImages, eq(productImages.product_id, products.id))
      .where(eq(productImages.id, id))
      .for('update', { of: products }),
  );
  const changed = db.$with('changed').as(
    db
      .update(productImages)
      .set({ ...set, updated_at: sql`now()` })
      .from(owner)
      .where(and(at(id, version), eq(productImages.product_id, owner.id)))
      .returning({
        image_id: productImages.id,
        product_id: productImages.product_id,
        version: productImages.version,
        source_url: productImages.source_url,
        source_key: productImages.source_key,
        old_source_key: owner.old_source_key,
        attempts: productImages.attempts,
      }),
  );
  return db
    .with(owner, changed)
    .update(products)
    .set({ version: bumpedVersion })
    .from(changed)
    .where(eq(products.id, changed.product_id))
    .returning({
      image_id: changed.image_id,
      product_id: changed.product_id,
      user_id: products.user_id,
      version: changed.version,
      source_url: changed.source_url,
      source_key: changed.source_key,
      attempts: changed.attempts,
      old_source_key: changed.old_source_key,
      product_version: products.version,
    });
}

const NONE: ReuseOutcome = { type: 'none' };

/** What a reused image copies from its donor, and the donor's id. */
const donorColumns = {
  id: productImages.id,
  compressed_url: productImages.compressed_url,
  compressed_key: productImages.compressed_key,
  width: productImages.width,
  height: productImages.height,
  bytes: productImages.bytes,
  format: productImages.format,
  renditions: productImages.renditions,
  rendition_keys: productImages.rendition_keys,
  placeholder: productImages.placeholder,
};

const donorKeys = (donor: { compressed_key: string | null; rendition_keys: string[] }): string[] =>
  [...new Set([...(donor.compressed_key === null ? [] : [donor.compressed_key]), ...donor.rendition_keys])].sort();

/** Each key's lock, in sorted order as every taker of several does, so two takers never deadlock. */
async function lockKeys(tx: Database, keys: readonly string[]): Promise<void> {
  for (const key of [...new Set(keys)].sort()) await lockKey(tx, key);
}

/**
 * Marks the image done with `set` if it is still at `version` and not done, bumps its product
 * (its compressed_product_images changed) and queues the `image.done` event (and
 * `product.images_settled` when it was the last unfinished one); the product row is locked first,
 * as update() holds it while it moves or drops this image row. The new product version, or null.
 */
async function finish(tx: Database, imageId: number, version: number, set: PgUpdateSetSource<typeof productImages>): Promise<number | null> {
  const [owner] = await tx
    .select({ id: products.id })
    .from(products)
    .innerJoin(productImages, eq(productImages.product_id, products.id))
    .where(eq(productImages.id, imageId))
    .for('update', { of: products });
  if (!owner) return null;
  const done = tx.$with('done').as(
    tx
      .update(productImages)
      .set({ ...set, updated_at: sql`now()` })
      .where(at(imageId, version))
      .returning({ product_id: productImages.product_id }),
  );
  const [bumped] = await tx
    .with(done)
    .update(products)
    .set({ version: bumpedVersion, updated_at: sql`now()` })
    .from(done)
    .where(eq(products.id, done.product_id))
    .returning({ version: products.version });
  if (!bumped) return null;
  await enqueue(tx, await imageEvents(tx, owner.id, imageId, 'image.done'));
  return bumped.version;
}

/**
 * ImageJobs and ImageRecovery on PostgreSQL or PGlite: the worker's side of the image rows. Each
 * call is one transaction bounded by the limiter; start and fail are single prepared statements.
 * Lock order: key lock, then the product row, then image rows, as the product writes take them
 * (product row, then image rows), so no call here can deadlock with an update. Every applied call
 * bumps the product's version and returns the new one.
 */
export class PostgresImageJobs implements ImageJobs, ImageRecovery {
  readonly #db: Database;
  readonly #limiter: Limiter;
  readonly #start;
  readonly #fail;

  constructor(connection: Pick<Connection, 'db' | 'limiter'>) {
    this.#db = connection.db;
    this.#limiter = connection.limiter;
    this.#start = imageChange(this.#db, { status: 'processing', attempts: sql`${productImages.attempts} + 1` }).prepare('images_start');
    this.#fail = imageChange(this.#db, { status: sql`${sql.placeholder('status')}`, error: sql`${sql.placeholder('error')}` }).prepare('images_fail');
  }

  async start(imageId: number, version: number): Promise<ImageWork | null> {
    const [row] = await this.#limiter.run(() => this.#start.execute({ id: imageId, version }));
    if (!row) return null;
    const { old_source_key: _old, ...work } = row;
    return work;
  }

  async fail(imageId: number, version: number, reason: string, final: boolean, releaseSource = false): Promise<number | null> {
    if (final) return this.#failFinally(imageId, version, reason, releaseSource);
    const [row] = await this.#limiter.run(() => this.#fail.execute({ id: imageId, version, status: 'pending', error: reason }));
    return row?.product_version ?? null;
  }

  /**
   * Fails the image for good with its `image.failed` event (and `product.images_settled` when it
   * was the last unfinished one). With `releaseSource` the same transaction drops the uploaded
   * original: the row forgets the key and its deletion is queued.
   */
  #failFinally(imageId: number, version: number, reason: string, releaseSource: boolean): Promise<number | null> {
    return this.#limiter.run(() =>
      this.#db.transaction(async (tx) => {
        const set = releaseSource ? { status: 'failed' as const, error: reason, source_key: null } : { status: 'failed' as const, error: reason };
        const [row] = await imageChange(tx, set, imageId, version);
        if (!row) return null;
        const released = releaseSource ? objectDeleteTasks([{ source_key: row.old_source_key, compressed_key: null }]) : [];
        await enqueue(tx, [...released, ...(await imageEvents(tx, row.product_id, imageId, 'image.failed'))]);
        return row.product_version;
      }),
    );
  }

  /**
   * Guarded by version and `status <> 'done'`: a duplicate or redelivered job changes nothing and
   * gets null, as does a job for an image replaced or deleted meanwhile. Takes the key lock that
   * PostgresObjectReferences.beginDeletion takes (one per rendition), so a deletion either sees this reference or
   * was begun before it (object-lifecycle.ts).
   */
  complete(imageId: number, version: number, result: ImageResult): Promise<number | null> {
    return this.#limiter.run(() =>
      this.#db.transaction(async (tx) => {
        await lockKeys(tx, [result.key, ...result.renditions.map((rendition) => rendition.key)]);
        return finish(tx, imageId, version, finishedImage(result));
      }),
    );
  }

  /**
   * The donor is found without locks, its keys locked (sorted, like complete), then it is read
   * again under them: unchanged and with no deletion lease live on any key, no deletion can begin
   * before this commit, since the donor references every key.
   */
  reuse(imageId: number, version: number, digest: string): Promise<ReuseOutcome> {
    return this.#limiter.run(() =>
      this.#db.transaction(async (tx): Promise<ReuseOutcome> => {
        const donorOf = () =>
          tx
            .select(donorColumns)
            .from(productImages)
            .where(and(eq(productImages.source_digest, digest), eq(productImages.status, 'done'), ne(productImages.id, imageId)))
            .orderBy(productImages.id)
            .limit(1);
        const [donor] = await donorOf();
        if (!donor) return NONE;
        const keys = donorKeys(donor);
        await lockKeys(tx, keys);
        const [current] = await donorOf();
        if (!current || donorKeys(current).join() !== keys.join()) return NONE;
        const [lease] = await tx
          .select({ key: objectDeletions.key })
          .from(objectDeletions)
          .where(and(inArray(objectDeletions.key, keys), gt(objectDeletions.expires_at, sql`now()`)))
          .limit(1);
        if (lease) return NONE;
        const { id: _id, ...copied } = current;
        const productVersion = await finish(tx, imageId, version, { ...copied, status: 'done', error: null, source_digest: digest, reused: true });
        return productVersion === null ? { type: 'moot' } : { type: 'reused', product_version: productVersion };
      }),
    );
  }

  /**
   * One transaction: lock the products with unfinished images (in id order, before their image
   * rows, like every other write), bump and reset those rows, bump each affected product's
   * version once, then queue each row anew, in id order.
   */
  requeueUnfinished(): Promise<number> {
    return this.#limiter.run(() =>
      this.#db.transaction(async (tx) => {
        const result = await tx.execute(sql`
          with owners as (
            select id from products
            where id in (select product_id from product_images where status not in ('done', 'failed'))
            order by id
            for update
          ), requeued as (
            update product_images image set version = image.version + 1, status = 'pending', updated_at = now()
            from owners
            where image.product_id = owners.id and image.status not in ('done', 'failed')
            returning image.id, image.product_id, image.version
          ), bumped as (
            update products set version = products.version + 1
            where id in (select product_id from requeued)
          )
          select id::int8 as id, product_id::int8 as product_id, version from requeued order by id`);
        const rows = rowsOf<{ id: string | number; product_id: string | number; version: number }>(result);
        const tasks = rows.map((row) => imageProcessTask({ id: Number(row.id), product_id: Number(row.product_id), version: row.version }));
        await enqueue(tx, tasks);
        return tasks.length;
      }),
    );
  }
}
