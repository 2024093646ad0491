import { and, eq, or, sql } from 'drizzle-orm';
import {
  imageProcessTask,
  objectDeleteTasks,
  productEventTask,
  type AddedImage,
  type BulkItem,
  type BulkOutcome,
  type CreatedProduct,
  type CreateManyOptions,
  type CreateOptions,
  type ProductQuery,
  type ProductRepo,
  type UploadedImage,
  type WriteContext,
} from '../../application/index.js';
import {
  assembleProduct,
  err,
  LIMITS,
  ok,
  type NewProduct,
  type Product,
  type ProductChanges,
  type ProductImage,
  type Result,
} from '../../domain/index.js';
import type { Connection, Database } from './connection.js';
import { createMany, RolledBack } from './create-many.js';
import { claimKey, recordedKey, recordResponse } from './idempotency.js';
import { lockKey } from './key-lock.js';
import type { Limiter } from './limiter.js';
import { eventStamp } from './event-tasks.js';
import { enqueue } from './outbox-tasks.js';
import { violates } from './pg-error.js';
import { productStatements } from './product-statements.js';
import { bumpedVersion, fieldValues, imageColumns, insertedImageColumns, productSelection, splitQueued, storedObjects, toProduct } from './product-rows.js';
import { replaceImages } from './replace-images.js';
import { productImages, products } from './schema.js';

type CreateResult = Result<CreatedProduct, 'user.not_found' | 'idempotency.key_reused'>;
type AddImageResult = Result<AddedImage, 'product.not_found' | 'product.too_many_images'>;
type RetryResult = Result<{ product: Product; image: ProductImage }, 'product.not_found' | 'image.not_found' | 'image.not_failed'>;

/**
 * ProductRepo on PostgreSQL or PGlite through drizzle. Every write is one transaction that also
 * writes its outbox messages; every call waits for a slot of the connection's limiter.
 */
export class PostgresProductRepo implements ProductRepo {
  readonly #db: Database;
  readonly #limiter: Limiter;
  readonly #statements: ReturnType<typeof productStatements>;

  /** `nameScanLimit`: see NAME_SCAN_LIMIT (tests lower it to reach both plans with little data). */
  constructor(connection: Pick<Connection, 'db' | 'limiter'>, options: { nameScanLimit?: number } = {}) {
    this.#db = connection.db;
    this.#limiter = connection.limiter;
    this.#statements = productStatements(connection.db, options);
  }

  async create(input: NewProduct, options: CreateOptions = {}): Promise<CreateResult> {
    return this.#limiter.run(async () => {
      try {
        return await this.#db.transaction((tx) => this.#create(tx, input, options));
      } catch (error) {
        if (violates(error, '23503', 'products_user_id_users_id_fk')) return err('user.not_found');
        throw error;
      }
    });
  }

  async #create(tx: Database, input: NewProduct, { idempotency, requestId, traceparent }: CreateOptions): Promise<CreateResult> {
    if (idempotency && !(await claimKey(tx, idempotency))) {
      const recorded = await recordedKey(tx, idempotency.key);
      if (recorded.fingerprint !== idempotency.fingerprint) return err('idempotency.key_reused');
      return ok({ product: recorded.product, replayed: true });
    }
    const [row] = await tx
      .insert(products)
      .values({ user_id: input.user_id, ...fieldValues(input) } as typeof products.$inferInsert)
      .returning({ id: products.id, version: products.version, created_at: products.created_at, updated_at: products.updated_at });
    const { id, version, created_at, updated_at } = row!;
    const inserted =
      input.product_images.length === 0
        ? []
        : (
            await tx
              .insert(productImages)
              .values(input.product_images.map((source_url, position) => ({ product_id: id, position, source_url })))
              .returning(insertedImageColumns)
          ).map(splitQueued);
    const product = assembleProduct({ ...input, id, version, created_at, updated_at }, inserted.map(({ image }) => image));
    await enqueue(tx, [...inserted.map(({ queued }) => imageProcessTask(queued)), productEventTask(eventStamp, 'product.created', product)], { requestId, traceparent });
    if (idempotency) await recordResponse(tx, idempotency.key, product);
    return ok({ product, replayed: false });
  }

  async createMany(items: readonly BulkItem[], options: CreateManyOptions = {}): Promise<BulkOutcome[]> {
    if (items.length === 0) return [];
    return this.#limiter.run(async () => {
      try {
        return await this.#db.transaction((tx) => createMany(tx, items, options));
      } catch (error) {
        if (error instanceof RolledBack) return error.outcomes;
        throw error;
      }
    });
  }

  async findById(id: number): Promise<Product | null> {
    const [row] = await this.#limiter.run(() => this.#statements.byId.execute({ id }));
    return row ? toProduct(row) : null;
  }

  async findImage(imageId: number): Promise<ProductImage | null> {
    const [row] = await this.#limiter.run(() => this.#statements.imageById.execute({ id: imageId }));
    return row ?? null;
  }

  async list(query: ProductQuery): Promise<Product[]> {
    const rows = await this.#limiter.run(() => this.#statements.list(query));
    return rows.map(toProduct);
  }

  async update(id: number, changes: ProductChanges, context: WriteContext = {}): Promise<Product | null> {
    return this.#limiter.run(() =>
      this.#db.transaction(async (tx) => {
        // Updating the product row first locks it, so concurrent updates replace images one at a time.
        const updated = await tx
          .update(products)
          .set({ ...fieldValues(changes), version: bumpedVersion, updated_at: sql`now()` })
          .where(eq(products.id, id))
          .returning({ id: products.id });
        if (updated.length === 0) return null;
        const tasks = [];
        if (changes.product_images) {
          const { added, removed } = await replaceImages(tx, id, changes.product_images);
          tasks.push(...added.map(imageProcessTask), ...objectDeleteTasks(removed));
        }
        const [row] = await tx.select(productSelection).from(products).where(eq(products.id, id));
        const product = toProduct(row!);
        await enqueue(tx, [...tasks, productEventTask(eventStamp, 'product.updated', product)], context);
        return product;
      }),
    );
  }

  async delete(id: number, context: WriteContext = {}): Promise<boolean> {
    return this.#limiter.run(() =>
      this.#db.transaction(async (tx) => {
        // Lock first, so an image added concurrently is either seen here or never added.
        const [locked] = await tx.select({ id: products.id }).from(products).where(eq(products.id, id)).for('update');
        if (!locked) return false;
        // Read under the lock: the event shows the product as it was when it went.
        const [shown] = await tx.select(productSelection).from(products).where(eq(products.id, id));
        const removed = await tx.delete(productImages).where(eq(productImages.product_id, id)).returning(storedObjects);
        await tx.delete(products).where(eq(products.id, id));
        await enqueue(tx, [...objectDeleteTasks(removed), productEventTask(eventStamp, 'product.deleted', toProduct(shown!))], context);
        return true;
      }),
    );
  }

  async addImage(productId: number, upload: UploadedImage, context: WriteContext = {}): Promise<AddImageResult> {
    return this.#limiter.run(() =>
      this.#db.transaction(async (tx): Promise<AddImageResult> => {
        // Like PostgresImageJobs.complete: a deletion of this key either began before or sees the new row.
        await lockKey(tx, upload.source_key);
        const [locked] = await tx.select({ id: products.id }).from(products).where(eq(products.id, productId)).for('update');
        if (!locked) return err('product.not_found');
        // Read after taking the lock, so concurrent uploads and edits see each other's rows.
        const same = await tx
          .select(imageColumns)
          .from(productImages)
          .where(and(eq(productImages.product_id, productId), or(eq(productImages.source_key, upload.source_key), eq(productImages.source_url, upload.source_url))))
          .limit(1);
        if (same[0]) {
          const [product] = await tx.select(productSelection).from(products).where(eq(products.id, productId));
          return ok({ product: toProduct(product!), image: same[0], added: false });
        }
        const [{ count } = { count: 0 }] = await tx
          .select({ count: sql<number>`count(*)::int` })
          .from(productImages)
          .where(eq(productImages.product_id, productId));
        if (count >= LIMITS.imagesMax) return err('product.too_many_images');
        const [row] = await tx
          .insert(productImages)
          .values({ product_id: productId, position: count, source_url: upload.source_url, source_key: upload.source_key })
          .returning(insertedImageColumns);
        const { image, queued } = splitQueued(row!);
        const [updated] = await tx
          .update(products)
          .set({ version: bumpedVersion, updated_at: sql`now()` })
          .where(eq(products.id, productId))
          .returning(productSelection);
        const product = toProduct(updated!);
        await enqueue(tx, [imageProcessTask(queued), productEventTask(eventStamp, 'product.updated', product)], context);
        return ok({ product, image, added: true });
      }),
    );
  }

  async retryImage(productId: number, imageId: number, context: WriteContext = {}): Promise<RetryResult> {
    return this.#limiter.run(() =>
      this.#db.transaction(async (tx): Promise<RetryResult> => {
        // The product row first, as every other write of its images takes it.
        const [locked] = await tx.select({ id: products.id }).from(products).where(eq(products.id, productId)).for('update');
        if (!locked) return err('product.not_found');
        const ofProduct = and(eq(productImages.id, imageId), eq(productImages.product_id, productId));
        const [row] = await tx
          .update(productImages)
          .set({ status: 'pending', error: null, version: sql`${productImages.version} + 1`, updated_at: sql`now()` })
          .where(and(ofProduct, eq(productImages.status, 'failed')))
          .returning(insertedImageColumns);
        if (!row) {
          const [exists] = await tx.select({ id: productImages.id }).from(productImages).where(ofProduct);
          return err(exists ? 'image.not_failed' : 'image.not_found');
        }
        const { image, queued } = splitQueued(row);
        const [updated] = await tx.update(products).set({ version: bumpedVersion }).where(eq(products.id, productId)).returning(productSelection);
        const product = toProduct(updated!);
        await enqueue(tx, [imageProcessTask(queued), productEventTask(eventStamp, 'product.updated', product)], context);
        return ok({ product, image });
      }),
    );
  }
}
