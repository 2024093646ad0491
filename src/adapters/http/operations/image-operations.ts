import { createRoute, z } from '@hono/zod-openapi';
import { IdParams } from '../schemas/id-params.js';
import { ProductImageSchema } from '../schemas/product-schemas.js';
import { jsonResponse, problemResponses, RequestHeaders } from './responses.js';

const upload = createRoute({
  method: 'post',
  path: '/products/{id}/images',
  tags: ['products'],
  summary: 'Upload an image file to a product',
  description:
    'multipart/form-data with one field `file`. The bytes are sniffed (the file name and declared type are ignored), stored, and appended to product_images as a pending image processed like a URL image.',
  request: {
    headers: RequestHeaders,
    params: IdParams,
    body: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: z.object({ file: z.any().openapi({ type: 'string', format: 'binary', description: 'The image (JPEG, PNG, WebP, GIF, AVIF, HEIF, TIFF).' }) }),
        },
      },
    },
  },
  responses: {
    202: jsonResponse(ProductImageSchema, 'Accepted: the new image entry, pending.', {
      Location: z.string().openapi({ description: 'The product, /products/{id}, where the image status shows.' }),
    }),
    ...problemResponses({
      400: 'validation.failed: no `file` field, an empty file, not an image, SVG',
      404: 'product.not_found',
      409: 'product.too_many_images: the product already has 10 images',
      413: 'request.too_large: the file is over the upload limit (25 MiB by default)',
      415: 'request.unsupported_media_type: send multipart/form-data',
    }),
  },
});

const file = createRoute({
  method: 'get',
  path: '/files/{key}',
  tags: ['files'],
  summary: 'A stored image (embedded object storage only)',
  description: 'Serves compressed images and uploaded originals when no S3 bucket is configured. `key` may contain slashes. Immutable: keys are content hashes.',
  request: { params: z.object({ key: z.string().openapi({ example: 'images/3f2a….webp' }) }) },
  responses: {
    200: { description: 'The image bytes', content: { 'image/*': { schema: z.string().openapi({ format: 'binary' }) } } },
    ...problemResponses({ 404: 'route.not_found: no such object' }),
  },
});

/** The image operations: uploads and the embedded store's files. */
export const imageOperations = { upload, file };
