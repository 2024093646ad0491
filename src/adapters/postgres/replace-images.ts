import { eq, inArray, sql } from 'drizzle-orm';
import { planImageReplacement } from '../../domain/index.js';
import type { Database } from './connection.js';
import { imageColumns, queuedImageColumns, storedObjects } from './product-rows.js';
import { productImages } from './schema.js';

/** What a replacement did that the pipeline must hear about. */
export interface ReplacedImages {
  /** New pending rows, to process. */
  readonly added: { id: number; product_id: number; version: number }[];
  /** Object keys of the dropped rows, to delete once unreferenced. */
  readonly removed: { compressed_key: string | null; source_key: string | null; rendition_keys: string[] }[];
}

/**
 * Makes the product's image rows match `urls` (see planImageReplacement): rows of URLs still
 * listed keep their id and results and move to their new position; the rest go; new URLs get
 * pending rows. Call inside the transaction that locked the product row.
 */
export async function replaceImages(tx: Database, productId: number, urls: readonly string[]): Promise<ReplacedImages> {
  const current = await tx.select(imageColumns).from(productImages).where(eq(productImages.product_id, productId));
  const plan = planImageReplacement(current, urls);
  const removed =
    plan.remove.length === 0 ? [] : await tx.delete(productImages).where(inArray(productImages.id, plan.remove)).returning(storedObjects);
  const positionOf = new Map(current.map((image) => [image.id, image.position]));
  const moved = plan.keep.filter((keep) => positionOf.get(keep.id) !== keep.position);
  if (moved.length > 0) {
    const ids = moved.map((move) => move.id);
    // UNIQUE (product_id, position) is checked row by row, so a swap would collide halfway:
    // park the moving rows at distinct negative positions first, then set the final ones.
    await tx
      .update(productImages)
      .set({ position: sql`-1 - ${productImages.position}` })
      .where(inArray(productImages.id, ids));
    const target = sql.join(
      moved.map((move) => sql`when ${move.id} then ${move.position}::smallint`),
      sql` `,
    );
    await tx
      .update(productImages)
      .set({ position: sql`case ${productImages.id} ${target} end`, updated_at: sql`now()` })
      .where(inArray(productImages.id, ids));
  }
  const added =
    plan.add.length === 0
      ? []
      : await tx
          .insert(productImages)
          .values(plan.add.map((add) => ({ product_id: productId, position: add.position, source_url: add.source_url })))
          .returning(queuedImageColumns);
  return { added, removed };
}
