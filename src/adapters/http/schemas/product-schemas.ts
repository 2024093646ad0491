import { z } from '@hono/zod-openapi';
import {
  IMAGE_STATUSES,
  NEW_PRODUCT,
  PRODUCT_CHANGES,
  PRODUCT_FIELDS,
  productFieldsOf,
  PRODUCT_REPLACEMENT,
  type ImageStatus,
  type Product,
} from '../../../domain/index.js';
import { bodySchema, wireShape } from './rule-schemas.js';

/** Body of POST /products; unknown keys are refused (by createProduct, like every rule here). */
export const NewProductSchema = bodySchema('NewProduct', NEW_PRODUCT);

/** Body of PUT /products/{id}: every mutable field; the owner never changes. */
export const ProductReplacementSchema = bodySchema('ProductReplacement', PRODUCT_REPLACEMENT);

/** Body of PATCH /products/{id}: at least one mutable field. */
export const ProductChangesSchema = bodySchema('ProductChanges', PRODUCT_CHANGES);

export const ProductImageSchema = z
  .object({
    id: z.number().int(),
    position: z.number().int().openapi({ description: 'Zero-based place in product_images.' }),
    source_url: z.string(),
    status: z.enum(IMAGE_STATUSES as [ImageStatus, ...ImageStatus[]]),
    compressed_url: z.string().nullable(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    bytes: z.number().int().nullable(),
    format: z.string().nullable(),
    error: z.string().nullable().openapi({ description: 'Why processing failed, when status is failed.' }),
    attempts: z.number().int(),
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


/** The wire form of a product: the public field names, timestamps as ISO 8601. */
export const productJson = (product: Product): ProductJson => ({
  id: product.id,
  user_id: product.user_id,
  ...productFieldsOf(product),
  compressed_product_images: [...product.compressed_product_images],
  images: product.images.map((image) => ({ ...image })),
  created_at: product.created_at.toISOString(),
  updated_at: product.updated_at.toISOString(),
});
