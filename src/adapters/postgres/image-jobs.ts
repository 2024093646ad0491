import { and, eq, ne, or, sql, type SQLWrapper } from 'drizzle-orm';
import type { ImageResult, ImageWork } from '../../domain/index.js';
import type { Database } from './connection.js';
import { lockKey } from './key-lock.js';
import type { Limiter } from './limiter.js';
import { OUTBOX_CHANNEL } from './outbox-tasks.js';
import { rowsOf } from './rows-of.js';
import { productImages, products } from './schema.js';

/** The image row at this version, unless it is done already. */
const at = (id: number | SQLWrapper, version: number | SQLWrapper) =>
  and(eq(productImages.id, id), eq(productImages.version, version), ne(productImages.status, 'done'));

/**
 * The worker's side of the image rows. Each call is one transaction bounded by the limiter; start
 * and fail are prepared. Lock order: key lock, then the product row, then image rows, as the
 * product writes take them (product row, then image rows), so completing cannot deadlock with an
 * update. start and fail lock one image row and wait for nothing else.
 */
export function imageJobs(db: Database, limiter: Limiter) {
  const start = db
    .update(productImages)
    .set({ status: 'processing', attempts: sql`${productImages.attempts} + 1`, updated_at: sql`now()` })
    .where(at(sql.placeholder('id'), sql.placeholder('version')))
    .returning({
      image_id: productImages.id,
      product_id: productImages.product_id,
      version: productImages.version,
      source_url: productImages.source_url,
      source_key: productImages.source_key,
      attempts: productImages.attempts,
    })
    .prepare('images_start');
  const fail = db
    .update(productImages)
    .set({ status: sql`${sql.placeholder('status')}`, error: sql`${sql.placeholder('error')}`, updated_at: sql`now()` })
    .where(at(sql.placeholder('id'), sql.placeholder('version')))
    .returning({ id: productImages.id })
    .prepare('images_fail');

  return {
    async start(imageId: number, version: number): Promise<ImageWork | null> {
      const [work] = await limiter.run(() => start.execute({ id: imageId, version }));
      return work ?? null;
    },

    async fail(imageId: number, version: number, reason: string, final: boolean): Promise<boolean> {
      const status = final ? 'failed' : 'pending';
      const rows = await limiter.run(() => fail.execute({ id: imageId, version, status, error: reason }));
      return rows.length > 0;
    },

    /**
     * Guarded by version and `status <> 'done'`: a duplicate or redelivered job changes nothing and
     * gets false, as does a job for an image replaced or deleted meanwhile.
     */
    complete(imageId: number, version: number, result: ImageResult): Promise<boolean> {
      return limiter.run(() =>
        db.transaction(async (tx) => {
          await lockKey(tx, result.key);
          // The product row first: update() holds it while it moves or drops this image row.
          const [owner] = await tx
            .select({ id: products.id })
            .from(products)
            .innerJoin(productImages, eq(productImages.product_id, products.id))
            .where(eq(productImages.id, imageId))
            .for('update', { of: products });
          if (!owner) return false;
          const done = tx.$with('done').as(
            tx
              .update(productImages)
              .set({
                status: 'done',
                compressed_url: result.url,
                compressed_key: result.key,
                width: result.width,
                height: result.height,
                bytes: result.bytes,
                format: result.format,
                error: null,
                updated_at: sql`now()`,
              })
              .where(at(imageId, version))
              .returning({ product_id: productImages.product_id }),
          );
          // Its compressed_product_images changed, so the product did.
          const bumped = await tx
            .with(done)
            .update(products)
            .set({ updated_at: sql`now()` })
            .from(done)
            .where(eq(products.id, done.product_id))
            .returning({ id: products.id });
          return bumped.length > 0;
        }),
      );
    },

    /**
     * Holds the key lock and a connection while `action` runs: `action` must not need this
     * database (on PGlite it would wait for itself).
     */
    whenUnreferenced(key: string, action: () => Promise<void>): Promise<boolean> {
      return limiter.run(() =>
        db.transaction(async (tx) => {
          await lockKey(tx, key);
          const [reference] = await tx
            .select({ id: productImages.id })
            .from(productImages)
            .where(or(eq(productImages.compressed_key, key), eq(productImages.source_key, key)))
            .limit(1);
          if (reference) return false;
          await action();
          return true;
        }),
      );
    },

    /**
     * One statement: bump and reset every unfinished row and queue each anew, in id order. It
     * locks image rows across products, so run it at startup, before writes arrive.
     */
    async requeueUnfinished(): Promise<number> {
      const result = await limiter.run(() =>
        db.execute(sql`
          with requeued as (
            update product_images set version = version + 1, status = 'pending', updated_at = now()
            where status not in ('done', 'failed')
            returning id, product_id, version
          ), queued as (
            insert into outbox (task)
            select jsonb_build_object('type', 'image.process', 'product_id', product_id, 'image_id', id, 'version', version)
            from requeued order by id
            returning id
          )
          select count(*)::int as requeued, case when count(*) > 0 then pg_notify(${OUTBOX_CHANNEL}, '') end as notified
          from queued`),
      );
      return rowsOf<{ requeued: number }>(result)[0]!.requeued;
    },
  };
}
