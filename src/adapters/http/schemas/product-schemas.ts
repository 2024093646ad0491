import { z } from '@hono/zod-openapi';
import {
  IMAGE_STATUSES,
  NEW_PRODUCT,
  PRODUCT_CHANGES,
  PRODUCT_FIELDS,
  PRODUCT_REPLACEMENT,
  type ImageStatus,
  type Product,
} from '../../../domain/index.js';
import { productView } from '../../../application/index.js';
import { bodySchema, wireShape } from './rule-schemas.js';

/** Body of POST /products; unknown keys are refused (by createProduct, like every rule here). */
export const NewProductSchema = bodySchema('NewProduct', NEW_PRODUCT);

/** Body of PUT /products/{id}: every mutable field; the owner never changes. */
export const ProductReplacementSchema = bodySchema('ProductReplacement', PRODUCT_REPLACEMENT);

/** Body of PATCH /products/{id}: at least one mutable field. */
export const ProductChangesSchema = bodySchema('ProductChanges', PRODUCT_CHANGES);

export const RenditionSchema = z
  .object({
    width: z.number().int(),
    height: z.number().int(),
    format: z.string().openapi({ example: 'webp' }),
    bytes: z.number().int(),
    url: z.string(),
  })
  .openapi('Rendition');

export const PlaceholderSchema = z
  .object({
    thumbhash: z.string().openapi({ description: 'ThumbHash of the image, base64.' }),
    color: z.string().openapi({ description: 'Dominant colour.', example: '#a08060' }),
  })
  .openapi('Placeholder');

export const ProductImageSchema = z
  .object({
    id: z.number().int(),
    position: z.number().int().openapi({ description: 'Zero-based place in product_images.' }),
    source_url: z.string(),
    status: z.enum(IMAGE_STATUSES as [ImageStatus, ...ImageStatus[]]),
    compressed_url: z.string().nullable(),
    width: z.number().int().nullable().openapi({ description: 'Of the largest rendition.' }),
    height: z.number().int().nullable().openapi({ description: 'Of the largest rendition.' }),
    bytes: z.number().int().nullable(),
    format: z.string().nullable(),
    error: z.string().nullable().openapi({ description: 'Why processing failed, when status is failed.' }),
    attempts: z.number().int(),
    renditions: z.array(RenditionSchema).openapi({ description: 'Every stored size and format, sorted by width; empty until done.' }),
    placeholder: PlaceholderSchema.nullable().openapi({ description: 'Paintable before any image byte arrives; null until done.' }),
    reused: z.boolean().openapi({ description: 'The renditions of an identical source processed before were reused: nothing was compressed.' }),
  })
  .openapi('ProductImage');

export const ProductSchema = z
  .object({
    id: z.number().int(),
    user_id: z.number().int(),
    ...wireShape(PRODUCT_FIELDS),
    compressed_product_images: z.array(z.string()).openapi({ description: 'URLs of finished images, in product_images order.' }),
    images: z.array(ProductImageSchema),
    created_at: z.string().openapi({ format: 'date-time' }),
    updated_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Product');

export type ProductJson = z.infer<typeof ProductSchema>;


/**
 * The wire form of a product: the view events carry too (public field names, ISO 8601 timestamps).
 * The view is a fresh copy, so its read-only arrays may be typed as the schema's mutable ones.
 */
export const productJson = (product: Product): ProductJson => productView(product) as ProductJson;
