import { sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { assembleProduct, priceFromDecimal, type Product, type ProductImage } from '../../domain/index.js';
import { productImages, products } from './schema.js';

/**
 * The product's next version: every write a reader of the product can see sets it, in the
 * statement that holds (or takes) the product row's lock, so versions never repeat or skip.
 */
export const bumpedVersion = sql<number>`${products.version} + 1`;

/** The image columns under their domain names. */
export const imageColumns = {
  id: productImages.id,
  position: productImages.position,
  source_url: productImages.source_url,
  status: productImages.status,
  compressed_url: productImages.compressed_url,
  width: productImages.width,
  height: productImages.height,
  bytes: productImages.bytes,
  format: productImages.format,
  error: productImages.error,
  attempts: productImages.attempts,
};

/** What an `image.process` task needs of a new row. */
export const queuedImageColumns = { id: productImages.id, product_id: productImages.product_id, version: productImages.version };

/** A new row: its public image plus what its task needs; split it with `splitQueued`. */
export const insertedImageColumns = { ...imageColumns, ...queuedImageColumns };

/** The public image and the task fields of a row returned with `insertedImageColumns`. */
export const splitQueued = ({ product_id, version, ...image }: ProductImage & { product_id: number; version: number }) => ({
  image,
  queued: { id: image.id, product_id, version },
});

/** The objects an image row references, to delete when the row goes. */
export const storedObjects = { compressed_key: productImages.compressed_key, source_key: productImages.source_key };

// Drizzle leaves column names unqualified in a single-table select, which would bind them to the
// inner table here, so the correlated subquery names its columns explicitly.
const image = (column: PgColumn) => sql.raw(`image."${column.name}"`);

// The images come back as one JSON array per product, in position order: one round trip and one
// row per product (a join would repeat the product's description once per image).
const imagesJson = sql<ProductImage[]>`coalesce((select json_agg(json_build_object(${sql.join(
  Object.entries(imageColumns).map(([name, column]) => sql`${sql.raw(`'${name}'`)}, ${image(column)}`),
  sql`, `,
)}) order by ${image(productImages.position)}) from ${productImages} image where ${image(productImages.product_id)} = ${sql.raw(
  `"products"."${products.id.name}"`,
)}), '[]'::json)`;

/** Selects a product with its images; read rows with `toProduct`. */
export const productSelection = {
  id: products.id,
  user_id: products.user_id,
  version: products.version,
  product_name: products.product_name,
  product_description: products.product_description,
  product_price: products.product_price,
  created_at: products.created_at,
  updated_at: products.updated_at,
  images: imagesJson,
};

/** A row selected with `productSelection`. */
export interface ProductRow {
  readonly id: number;
  readonly user_id: number;
  readonly version: number;
  readonly product_name: string;
  readonly product_description: string;
  readonly product_price: string;
  readonly created_at: Date;
  readonly updated_at: Date;
  readonly images: ProductImage[];
}

/** The domain product of a selected row; NUMERIC text becomes the exact price. */
export const toProduct = ({ images, product_price, ...record }: ProductRow): Product =>
  assembleProduct({ ...record, product_price: priceFromDecimal(product_price) }, images);
