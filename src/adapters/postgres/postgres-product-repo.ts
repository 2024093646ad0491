import { eq, sql } from 'drizzle-orm';
import type { CreatedProduct, IdempotencyKey, ProductQuery, ProductRepo } from '../../application/index.js';
import {
  assembleProduct,
  err,
  ok,
  priceToDecimal,
  type NewProduct,
  type Product,
  type ProductChanges,
  type Result,
} from '../../domain/index.js';
import type { Connection, Database } from './connection.js';
import { claimKey, recordedKey, recordResponse } from './idempotency.js';
import type { Limiter } from './limiter.js';
import { violates } from './pg-error.js';
import { productStatements } from './product-statements.js';
import { imageColumns, productSelection, toProduct } from './product-rows.js';
import { replaceImages } from './replace-images.js';
import { productImages, products } from './schema.js';

type CreateResult = Result<CreatedProduct, 'user.not_found' | 'idempotency.key_reused'>;

/** ProductRepo on PostgreSQL or PGlite through drizzle; every write is one transaction. */
export class PostgresProductRepo implements ProductRepo {
  readonly #db: Database;
  readonly #limiter: Limiter;
  readonly #statements: ReturnType<typeof productStatements>;

  constructor(connection: Pick<Connection, 'db' | 'limiter'>) {
    this.#db = connection.db;
    this.#limiter = connection.limiter;
    this.#statements = productStatements(connection.db);
  }

  async create(input: NewProduct, idempotency?: IdempotencyKey): Promise<CreateResult> {
    return this.#limiter.run(async () => {
      try {
        return await this.#db.transaction((tx) => this.#create(tx, input, idempotency));
      } catch (error) {
        if (violates(error, '23503', 'products_user_id_users_id_fk')) return err('user.not_found');
        throw error;
      }
    });
  }

  async #create(tx: Database, input: NewProduct, idempotency?: IdempotencyKey): Promise<CreateResult> {
    if (idempotency && !(await claimKey(tx, idempotency))) {
      const recorded = await recordedKey(tx, idempotency.key);
      if (recorded.fingerprint !== idempotency.fingerprint) return err('idempotency.key_reused');
      return ok({ product: recorded.product, replayed: true });
    }
    const [row] = await tx
      .insert(products)
      .values({
        user_id: input.user_id,
        product_name: input.product_name,
        product_description: input.product_description,
        product_price: priceToDecimal(input.product_price),
      })
      .returning({ id: products.id, created_at: products.created_at, updated_at: products.updated_at });
    const { id, created_at, updated_at } = row!;
    const images =
      input.product_images.length === 0
        ? []
        : await tx
            .insert(productImages)
            .values(input.product_images.map((source_url, position) => ({ product_id: id, position, source_url })))
            .returning(imageColumns);
    const product = assembleProduct({ ...input, id, created_at, updated_at }, images);
    if (idempotency) await recordResponse(tx, idempotency.key, product);
    return ok({ product, replayed: false });
  }

  async findById(id: number): Promise<Product | null> {
    const [row] = await this.#limiter.run(() => this.#statements.byId.execute({ id }));
    return row ? toProduct(row) : null;
  }

  async list(query: ProductQuery): Promise<Product[]> {
    const rows = await this.#limiter.run(() => this.#statements.list(query));
    return rows.map(toProduct);
  }

  async update(id: number, changes: ProductChanges): Promise<Product | null> {
    return this.#limiter.run(() =>
      this.#db.transaction(async (tx) => {
        // Updating the product row first locks it, so concurrent updates replace images one at a time.
        const updated = await tx
          .update(products)
          .set({
            ...(changes.product_name !== undefined && { product_name: changes.product_name }),
            ...(changes.product_description !== undefined && { product_description: changes.product_description }),
            ...(changes.product_price !== undefined && { product_price: priceToDecimal(changes.product_price) }),
            updated_at: sql`now()`,
          })
          .where(eq(products.id, id))
          .returning({ id: products.id });
        if (updated.length === 0) return null;
        if (changes.product_images) await replaceImages(tx, id, changes.product_images);
        const [row] = await tx.select(productSelection).from(products).where(eq(products.id, id));
        return toProduct(row!);
      }),
    );
  }

  async delete(id: number): Promise<boolean> {
    // One statement is its own transaction; the foreign key cascades to the image rows.
    const deleted = await this.#limiter.run(() => this.#statements.deleteById.execute({ id }));
    return deleted.length > 0;
  }
}
