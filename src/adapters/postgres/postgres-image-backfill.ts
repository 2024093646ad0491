import { and, asc, count, eq, gt, inArray, or, sql, type SQL } from 'drizzle-orm';
import { imageProcessTask, type BackfillScope, type ChangedProduct, type DoneImage, type ImageBackfill } from '../../application/index.js';
import type { Connection, Database } from './connection.js';
import type { Limiter } from './limiter.js';
import { enqueue } from './outbox-tasks.js';
import { bumpedVersion } from './product-rows.js';
import { productImages, products } from './schema.js';

const doneIn = (scope: BackfillScope): SQL | undefined =>
  and(eq(productImages.status, 'done'), scope.productIds ? inArray(productImages.product_id, [...scope.productIds]) : undefined);

/**
 * ImageBackfill on PostgreSQL or PGlite. `requeue` is one transaction that locks the products
 * first (in id order), then resets their image rows, as every other image write does.
 */
export class PostgresImageBackfill implements ImageBackfill {
  readonly #db: Database;
  readonly #limiter: Limiter;

  constructor(connection: Pick<Connection, 'db' | 'limiter'>) {
    this.#db = connection.db;
    this.#limiter = connection.limiter;
  }

  async countDone(scope: BackfillScope): Promise<number> {
    if (scope.productIds?.length === 0) return 0;
    const [row] = await this.#limiter.run(() => this.#db.select({ n: count() }).from(productImages).where(doneIn(scope)));
    return row?.n ?? 0;
  }

  async doneImages(scope: BackfillScope, afterId: number, limit: number): Promise<DoneImage[]> {
    if (scope.productIds?.length === 0) return [];
    return this.#limiter.run(() =>
      this.#db
        .select({
          id: productImages.id,
          product_id: productImages.product_id,
          version: productImages.version,
          renditions: productImages.renditions,
          placeholder: productImages.placeholder,
        })
        .from(productImages)
        .where(and(doneIn(scope), gt(productImages.id, afterId)))
        .orderBy(asc(productImages.id))
        .limit(limit),
    );
  }

  requeue(images: readonly Pick<DoneImage, 'id' | 'version'>[]): Promise<{ queued: number; products: ChangedProduct[] }> {
    if (images.length === 0) return Promise.resolve({ queued: 0, products: [] });
    const ids = images.map((image) => image.id);
    const atVersion = or(...images.map((image) => and(eq(productImages.id, image.id), eq(productImages.version, image.version))));
    return this.#limiter.run(() =>
      this.#db.transaction(async (tx) => {
        const owners = tx.select({ id: productImages.product_id }).from(productImages).where(inArray(productImages.id, ids));
        await tx.select({ id: products.id }).from(products).where(inArray(products.id, owners)).orderBy(asc(products.id)).for('update');
        const requeued = await tx
          .update(productImages)
          .set({ status: 'pending', error: null, version: sql`${productImages.version} + 1`, updated_at: sql`now()` })
          .where(and(eq(productImages.status, 'done'), atVersion))
          .returning({ id: productImages.id, product_id: productImages.product_id, version: productImages.version });
        if (requeued.length === 0) return { queued: 0, products: [] };
        requeued.sort((a, b) => a.id - b.id);
        const changed = await bumpProducts(tx, [...new Set(requeued.map((row) => row.product_id))]);
        await enqueue(tx, requeued.map(imageProcessTask));
        return { queued: requeued.length, products: changed };
      }),
    );
  }
}

/** Bumps each product's version once: its images' status changed, which readers see. */
const bumpProducts = (tx: Database, ids: number[]): Promise<ChangedProduct[]> =>
  tx
    .update(products)
    .set({ version: bumpedVersion })
    .where(inArray(products.id, ids))
    .returning({ id: products.id, user_id: products.user_id, version: products.version });
