import { getTableColumns, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import {
  assembleProduct,
  PRODUCT_FIELD_NAMES,
  priceFromDecimal,
  priceToDecimal,
  type Product,
  type ProductFields,
  type ProductImage,
} from '../../domain/index.js';
import { productImages, products } from './schema.js';

/** The client fields stored in a `products` column of their own name; `product_images` has its table. */
type ColumnField = Exclude<keyof ProductFields, 'product_images'>;
const COLUMN_FIELDS = PRODUCT_FIELD_NAMES.filter((name): name is ColumnField => name !== 'product_images');
const productColumns = getTableColumns(products);
// A client field without its column fails to compile here.
const fieldColumns = Object.fromEntries(COLUMN_FIELDS.map((name) => [name, productColumns[name]])) as {
  [K in ColumnField]: (typeof productColumns)[K];
};

/** Fields whose column holds another representation: the price as exact NUMERIC text. */
const CODECS: { readonly [K in ColumnField]?: { write(value: ProductFields[K]): unknown; read(value: unknown): ProductFields[K] } } = {
  product_price: { write: priceToDecimal, read: (text) => priceFromDecimal(text as string) },
};

/** The column values of the client fields given (absent ones stay absent), for an insert or an update. */
export function fieldValues(fields: Partial<ProductFields>): Partial<typeof products.$inferInsert> {
  const values: Record<string, unknown> = {};
  for (const name of COLUMN_FIELDS) {
    const value = fields[name];
    if (value === undefined) continue;
    const codec = CODECS[name] as { write(value: unknown): unknown } | undefined;
    values[name] = codec ? codec.write(value) : value;
  }
  return values as Partial<typeof products.$inferInsert>;
}

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
  renditions: productImages.renditions,
  placeholder: productImages.placeholder,
  reused: productImages.reused,
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
export const storedObjects = {
  compressed_key: productImages.compressed_key,
  source_key: productImages.source_key,
  rendition_keys: productImages.rendition_keys,
};

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
  ...fieldColumns,
  created_at: products.created_at,
  updated_at: products.updated_at,
  images: imagesJson,
};

/** A row selected with `productSelection`: the client fields as their columns hold them. */
export type ProductRow = {
  readonly id: number;
  readonly user_id: number;
  readonly version: number;
  readonly created_at: Date;
  readonly updated_at: Date;
  readonly images: ProductImage[];
} & { readonly [K in ColumnField]: unknown };

/** The domain product of a selected row, each field read back through its codec. */
export function toProduct({ images, ...row }: ProductRow): Product {
  const fields = Object.fromEntries(
    COLUMN_FIELDS.map((name) => {
      const codec = CODECS[name] as { read(value: unknown): unknown } | undefined;
      return [name, codec ? codec.read(row[name]) : row[name]];
    }),
  ) as Omit<ProductFields, 'product_images'>;
  return assembleProduct({ ...row, ...fields }, images);
}
