import { createRoute, z } from '@hono/zod-openapi';
import { LIMITS } from '../../../domain/index.js';
import { IdParams } from '../schemas/id-params.js';
import { ProductImageSchema } from '../schemas/product-schemas.js';
import { jsonResponse, problemResponses, RequestHeaders, responseHeaders } from './responses.js';
import { OPEN, secured } from './security.js';

/** Uploads need a key acting for the product's owner; the route runs `guard` first. */
export const UPLOAD_ACCESS = secured('key');

const FORMATS = 'JPEG, PNG, WebP, GIF, AVIF, HEIF, TIFF';
const LOCATION = { Location: z.string().openapi({ description: 'The product, /products/{id}, where the image status shows.' }) };

const upload = createRoute({
  method: 'post',
  path: '/products/{id}/images',
  operationId: 'uploadProductImage',
  tags: ['products'],
  summary: 'Upload an image file to a product',
  description: [
    'multipart/form-data with one part, `file`, holding one image of at most 25 MiB (the default upload limit).',
    'The bytes are sniffed (the file name and declared type are ignored), stored, and appended to product_images as a pending image processed like a URL image.',
    'The same bytes uploaded again answer 200 with the image they already are; nothing is added.',
    'The product is looked up before the body is read, and reading stops at the first limit passed (at most 10 parts; one file).',
    `A product has at most ${LIMITS.imagesMax} images.`,
  ].join(' '),
  security: UPLOAD_ACCESS.security,
  request: {
    headers: RequestHeaders,
    params: IdParams,
    body: {
      required: true,
      content: {
        'multipart/form-data': {
          // OpenAPI 3.1: a binary part is described by its media type, not by `type: string,
          // format: binary`, which generated clients read as text and which then refuse a Blob.
          schema: z
            .object({
              file: z.any().openapi({
                contentMediaType: 'application/octet-stream',
                description: `The image (${FORMATS}); one file, at most 25 MiB by default.`,
              } as never),
            })
            .openapi({ required: ['file'] }),
          encoding: { file: { contentType: 'image/*, application/octet-stream' } },
        },
      },
    },
  },
  responses: {
    200: jsonResponse(ProductImageSchema, 'The product already has these bytes: its image entry, as it is now.', LOCATION),
    202: jsonResponse(ProductImageSchema, 'Accepted: the new image entry, pending.', LOCATION),
    ...problemResponses({
      400: 'validation.failed: no `file` part, an empty file, not an image, SVG, more than one file or too many parts',
      404: 'product.not_found (answered before the body is read)',
      409: `product.too_many_images: the product already has ${LIMITS.imagesMax} images`,
      413: 'request.too_large: the body is over the upload limit (25 MiB by default, plus 64 KiB of envelope)',
      415: 'request.unsupported_media_type: send multipart/form-data',
      503: 'service.busy: every upload slot stayed taken (UPLOAD_CONCURRENCY); retry after Retry-After seconds',
    }),
    ...UPLOAD_ACCESS.problems,
  },
});

const KEY_EXAMPLE = 'images/3f2a9c0e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f.webp';

const file = createRoute({
  method: 'get',
  path: '/files/{key}',
  operationId: 'getFile',
  tags: ['files'],
  summary: 'A stored image (embedded object storage only)',
  description: [
    'Serves compressed images and uploaded originals when no S3 bucket is configured. Immutable: keys are content hashes.',
    'A key contains `/` (`images/<sha256>.webp`, `originals/<sha256>.jpg`). A path parameter is percent-encoded, so a client',
    `following this document sends \`/files/images%2F…\`; the service takes that and \`/files/images/…\` alike.`,
    'The product image URLs the service hands out are already absolute: follow them as they are.',
  ].join(' '),
  ...OPEN,
  request: {
    headers: RequestHeaders,
    params: z.object({
      key: z.string().openapi({
        param: { name: 'key', in: 'path' },
        description: 'The object key, `/` included; percent-encoded (`images%2F…`) or not.',
        example: KEY_EXAMPLE,
      }),
    }),
  },
  responses: {
    200: {
      description: 'The image bytes',
      headers: responseHeaders({
        'Cache-Control': z.string().openapi({ example: 'public, max-age=31536000, immutable' }),
      }),
      content: { 'image/*': { schema: z.any().openapi({ contentMediaType: 'application/octet-stream' } as never) } },
    },
    ...problemResponses({ 404: 'route.not_found: no such object' }),
  },
});

/** How long a client or CDN may reuse a redirect: renditions change only when an image is reprocessed. */
export const RENDITION_MAX_AGE_S = 3600;

const READ = secured('read');

const rendition = createRoute({
  method: 'get',
  path: '/images/{imageId}',
  operationId: 'getImageRendition',
  tags: ['images'],
  summary: 'Redirect to the stored rendition of an image that fits a width',
  description: [
    'Redirects (302) to the narrowest stored rendition at least `width` wide, or the widest when none is (or no width is given),',
    'in the best format the Accept header allows: AVIF when it names image/avif, then WebP (named, image/* or */*, or no Accept), then JPEG or PNG.',
    'Only renditions the worker stored are ever served; no size is computed on request. The answer varies with Accept and may be cached for an hour.',
    'An image that is not done yet (pending, processing or failed) answers 409 image.not_ready, its status in the detail; poll the product or retry later.',
  ].join(' '),
  security: READ.security,
  middleware: [READ.guard] as const,
  request: {
    headers: RequestHeaders,
    params: z.object({
      imageId: z.string().openapi({
        param: { name: 'imageId', in: 'path' },
        type: 'integer',
        minimum: 1,
        maximum: Number.MAX_SAFE_INTEGER,
        description: 'An image id (`images[].id`); text that cannot be an id answers 404, like an id nobody has.',
        example: 7,
      }),
    }),
    query: z.object({
      width: z.coerce.number().int().min(1).max(16_384).optional().openapi({
        description: 'The width the client will display, in pixels (CSS pixels × device pixel ratio).',
        example: 640,
      }),
    }),
  },
  responses: {
    302: {
      description: 'Found: the rendition is at Location.',
      headers: responseHeaders({
        Location: z.string().openapi({ description: "The rendition's URL." }),
        Vary: z.literal('Accept'),
        'Cache-Control': z.string().openapi({ example: `public, max-age=${RENDITION_MAX_AGE_S}` }),
      }),
    },
    ...problemResponses({
      400: 'validation.failed: width is not an integer from 1 to 16384',
      404: 'image.not_found: no image with this id',
      409: 'image.not_ready: the image is pending, processing or failed; the detail names its status',
    }),
    ...READ.problems,
  },
});

/** The image operations: uploads, renditions by width and the embedded store's files. */
export const imageOperations = { upload, rendition, file };
