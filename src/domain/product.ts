import type { FieldValues } from './field-rule.js';
import { PRODUCT_FIELDS } from './product-fields.js';

/** Where one source image is in the pipeline. */
export type ImageStatus = 'pending' | 'processing' | 'done' | 'failed';

export const IMAGE_STATUSES: readonly ImageStatus[] = ['pending', 'processing', 'done', 'failed'];

/** One stored size and format of a finished image. */
export interface Rendition {
  readonly width: number;
  readonly height: number;
  readonly format: string;
  readonly bytes: number;
  readonly url: string;
}

/** What a page can paint before any image byte arrives. */
export interface Placeholder {
  /** ThumbHash of the image, base64. */
  readonly thumbhash: string;
  /** Dominant colour, `#rrggbb`. */
  readonly color: string;
}

/** One source image of a product and what the pipeline made of it. */
export interface ProductImage {
  readonly id: number;
  /** Zero-based place in `product_images`. */
  readonly position: number;
  readonly source_url: string;
  readonly status: ImageStatus;
  readonly compressed_url: string | null;
  readonly width: number | null;
  readonly height: number | null;
  readonly bytes: number | null;
  readonly format: string | null;
  /** Readable reason when `status` is `failed`. */
  readonly error: string | null;
  readonly attempts: number;
  /** Every stored rendition, sorted by width; empty until done. `width`/`height` are the largest's. */
  readonly renditions: readonly Rendition[];
  readonly placeholder: Placeholder | null;
  /** Whether the renditions were reused from an identical source processed before (no compression ran). */
  readonly reused: boolean;
}

/**
 * The fields a client sets, one per rule in `PRODUCT_FIELDS`; the public contract keeps the
 * original assignment's names.
 */
export type ProductFields = FieldValues<typeof PRODUCT_FIELDS>;

export interface Product extends ProductFields {
  readonly id: number;
  readonly user_id: number;
  /**
   * Bumped by every change a reader can see (fields, images, image status), under the product
   * row's lock: caches and ETags compare it. Starts at 1.
   */
  readonly version: number;
  /** URLs of the finished images, in `product_images` order. */
  readonly compressed_product_images: readonly string[];
  readonly images: readonly ProductImage[];
  readonly created_at: Date;
  readonly updated_at: Date;
}

/** What createProduct stores: the owner plus every client field. */
export interface NewProduct extends ProductFields {
  readonly user_id: number;
}

/** A partial change; a present `product_images` replaces the whole list. */
export type ProductChanges = Partial<ProductFields>;

export interface ProductRecord extends NewProduct {
  readonly id: number;
  readonly version: number;
  readonly created_at: Date;
  readonly updated_at: Date;
}

/** The names of the client fields, in `PRODUCT_FIELDS` order. */
export const PRODUCT_FIELD_NAMES = Object.keys(PRODUCT_FIELDS) as (keyof ProductFields)[];

/** Just the client fields of `source`, in `PRODUCT_FIELDS` order. */
export const productFieldsOf = (source: ProductFields): ProductFields =>
  Object.fromEntries(PRODUCT_FIELD_NAMES.map((name) => [name, source[name]])) as unknown as ProductFields;

/** Builds the public product from its row and image rows, deriving both URL lists. */
export function assembleProduct(
  record: Omit<ProductRecord, 'product_images'>,
  images: readonly ProductImage[],
): Product {
  const ordered = [...images].sort((a, b) => a.position - b.position);
  return {
    id: record.id,
    user_id: record.user_id,
    version: record.version,
    ...productFieldsOf({ ...record, product_images: ordered.map((image) => image.source_url) }),
    compressed_product_images: ordered.flatMap((image) =>
      image.status === 'done' && image.compressed_url ? [image.compressed_url] : [],
    ),
    images: ordered,
    created_at: record.created_at,
    updated_at: record.updated_at,
  };
}

/** A fresh image row for a source URL: nothing processed yet. */
export const pendingImage = (id: number, position: number, source_url: string): ProductImage => ({
  id,
  position,
  source_url,
  status: 'pending',
  compressed_url: null,
  width: null,
  height: null,
  bytes: null,
  format: null,
  error: null,
  attempts: 0,
  renditions: [],
  placeholder: null,
  reused: false,
});

/**
 * Plans the image rows for a new URL list: a URL that is already there keeps its row (and any
 * finished result), moved to its new position; new URLs need fresh rows; the rest are removed.
 */
export function planImageReplacement(
  current: readonly ProductImage[],
  urls: readonly string[],
): { keep: { id: number; position: number }[]; add: { position: number; source_url: string }[]; remove: number[] } {
  // Should rows ever list one URL twice (data written before uploads were deduplicated), the
  // first row keeps it and the others are removed, so the new list never collides with them.
  const byUrl = new Map<string, ProductImage>();
  const extra: number[] = [];
  for (const image of current) {
    if (byUrl.has(image.source_url)) extra.push(image.id);
    else byUrl.set(image.source_url, image);
  }
  const keep: { id: number; position: number }[] = [];
  const add: { position: number; source_url: string }[] = [];
  urls.forEach((url, position) => {
    const existing = byUrl.get(url);
    if (existing) {
      keep.push({ id: existing.id, position });
      byUrl.delete(url);
    } else {
      add.push({ position, source_url: url });
    }
  });
  return { keep, add, remove: [...extra, ...[...byUrl.values()].map((image) => image.id)] };
}
