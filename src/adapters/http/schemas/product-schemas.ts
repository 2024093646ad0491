import { z } from '@hono/zod-openapi';
import {
  IMAGE_STATUSES,
  isImageUrl,
  LIMITS,
  PRICE_MAX,
  PRICE_MIN,
  priceProblem,
  userIdProblems,
  type ImageStatus,
  type Product,
} from '../../../domain/index.js';
import { domainRule, expected, maxChars, maxItems, notBlank } from './field-rules.js';

const imageUrl = z
  .string(expected('a string'))
  .max(LIMITS.imageUrlMaxLength, maxChars(LIMITS.imageUrlMaxLength))
  .refine(isImageUrl, 'must be an absolute http or https URL')
  .openapi({ format: 'uri', description: 'An absolute http or https URL.', example: 'https://images.example.com/desk.jpg' });

const FIELDS = {
  product_name: z
    .string(expected('a string'))
    .max(LIMITS.nameMaxLength, maxChars(LIMITS.nameMaxLength))
    .refine(notBlank, 'must not be empty')
    .openapi({ minLength: 1, example: 'Walnut desk' }),
  product_description: z
    .string(expected('a string'))
    .max(LIMITS.descriptionMaxLength, maxChars(LIMITS.descriptionMaxLength))
    .openapi({ example: 'Solid walnut, 140 × 70 cm.' }),
  product_images: z
    .array(imageUrl, expected('an array of URLs'))
    .max(LIMITS.imagesMax, maxItems(LIMITS.imagesMax))
    .superRefine((urls, ctx) => {
      urls.forEach((url, index) => {
        if (urls.indexOf(url) !== index) ctx.addIssue({ code: 'custom', path: [index], message: 'is listed twice' });
      });
    })
    .openapi({ uniqueItems: true, description: 'Source images, in display order; each is compressed asynchronously.' }),
  product_price: z
    .number(expected('a number'))
    .superRefine(domainRule((price: number) => priceProblem(price)))
    .openapi({
      minimum: PRICE_MIN,
      maximum: PRICE_MAX,
      multipleOf: 0.01,
      description: 'At most 2 fraction digits; never rounded (19.999 is rejected).',
      example: 249.99,
    }),
};

/** Body of POST /products; unknown keys are rejected. */
export const NewProductSchema = z
  .strictObject({
    user_id: z
      .number(expected('a positive integer'))
      .superRefine(domainRule((id: number) => userIdProblems(id)[0] ?? null))
      .openapi({ type: 'integer', minimum: 1, description: 'The owner; must exist (else 422 user.not_found).', example: 1 }),
    ...FIELDS,
  })
  .openapi('NewProduct');

/** Body of PUT /products/{id}: every mutable field; the owner never changes. */
export const ProductReplacementSchema = z.strictObject(FIELDS).openapi('ProductReplacement');

/** Body of PATCH /products/{id}: at least one mutable field. */
export const ProductChangesSchema = z
  .strictObject(FIELDS)
  .partial()
  .refine((changes) => Object.keys(changes).length > 0, {
    error: `must contain at least one of ${Object.keys(FIELDS).join(', ')}`,
    // Unknown keys already explain the failure; "empty" on top would mislead.
    when: (payload) => payload.issues.length === 0,
  })
  .openapi('ProductChanges', { minProperties: 1 });

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
    product_name: z.string(),
    product_description: z.string(),
    product_images: z.array(z.string()),
    product_price: z.number(),
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
  product_name: product.product_name,
  product_description: product.product_description,
  product_images: [...product.product_images],
  product_price: product.product_price,
  compressed_product_images: [...product.compressed_product_images],
  images: product.images.map((image) => ({ ...image })),
  created_at: product.created_at.toISOString(),
  updated_at: product.updated_at.toISOString(),
});
