import {
  domainError,
  err,
  ok,
  sniffImageFormat,
  validationFailed,
  type DomainError,
  type ProductImage,
  type Result,
} from '../domain/index.js';
import { contentKey, contentTypeOf } from './content-key.js';
import { productNotFound } from './not-found.js';
import { storeReferenced, type ObjectLifecycleOptions } from './object-lifecycle.js';
import { productChanged } from './product-cache.js';
import type { Cache, ObjectReferences, ObjectStore, ProductRepo, WriteContext } from './ports/index.js';

export interface UploadImageDeps {
  readonly products: Pick<ProductRepo, 'findById' | 'addImage'>;
  readonly objects: Pick<ObjectStore, 'put' | 'exists' | 'delete' | 'urlFor'>;
  readonly references: ObjectReferences;
  readonly cache: Pick<Cache, 'invalidate'>;
  readonly lifecycle?: ObjectLifecycleOptions;
}

/**
 * Stores an uploaded original under a content-addressed key and appends it to the product as a
 * pending image, processed like a URL image. The bytes are sniffed, never trusted by name.
 */
export async function uploadImage(
  deps: UploadImageDeps,
  productId: number,
  bytes: Uint8Array,
  options: WriteContext & { maxBytes: number; allowSvg?: boolean },
): Promise<Result<ProductImage, DomainError>> {
  if (bytes.byteLength === 0) return err(validationFailed([{ path: 'file', message: 'is empty' }]));
  if (bytes.byteLength > options.maxBytes) {
    return err(validationFailed([{ path: 'file', message: `must be at most ${options.maxBytes} bytes` }]));
  }
  const format = sniffImageFormat(bytes);
  if (!format) return err(validationFailed([{ path: 'file', message: 'is not an image' }]));
  if (format === 'svg' && !options.allowSvg) {
    return err(validationFailed([{ path: 'file', message: 'SVG images are not accepted' }]));
  }
  if (!(await deps.products.findById(productId))) return err(productNotFound(productId));

  const key = await contentKey('originals', bytes, format);
  const added = await storeReferenced(
    deps,
    { key, bytes, contentType: contentTypeOf(format) },
    () => deps.products.addImage(productId, { source_url: deps.objects.urlFor(key), source_key: key }, options),
    (result) => result.ok,
    deps.lifecycle,
  );
  if (added.ok) {
    await productChanged(deps.cache, productId, added.value.product.version);
    return ok(added.value.image);
  }
  // The product vanished or filled up meanwhile; storeReferenced dropped the original unless another image uses it.
  return err(
    added.error === 'product.not_found'
      ? productNotFound(productId)
      : domainError('product.too_many_images', `Product ${productId} already has the most images allowed.`, [
          { path: 'file', message: 'exceeds the image limit of the product' },
        ]),
  );
}
