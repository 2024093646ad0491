import {
  actsFor,
  ADMIN,
  domainError,
  err,
  ok,
  sniffImageFormat,
  validationFailed,
  type Actor,
  type DomainError,
  type ProductImage,
  type Result,
} from '../domain/index.js';
import { contentTypeOf, digestKey } from './content-key.js';
import { forbidden } from './forbidden.js';
import { productNotFound } from './not-found.js';
import { storeReferenced, type ObjectLifecycleOptions } from './object-lifecycle.js';
import { productChanged, type ProductWriteCache } from './product-cache.js';
import type { ObjectReferences, ObjectStore, ProductRepo, StreamedBody, WriteContext } from './ports/index.js';

export interface UploadImageDeps {
  readonly products: Pick<ProductRepo, 'findById' | 'addImage'>;
  readonly objects: Pick<ObjectStore, 'put' | 'exists' | 'delete' | 'urlFor'>;
  readonly references: ObjectReferences;
  readonly cache: ProductWriteCache;
  readonly lifecycle?: ObjectLifecycleOptions;
}

/** An uploaded file once received: its size (up to the limit plus one), digest, first bytes, and its bytes again on demand. */
export interface ReceivedFile {
  /** Counted while receiving; a file over the limit reads as `limit + 1` and the rest is never read. */
  readonly size: number;
  /** The first bytes (at least 512, when the file has them), for sniffing the type. */
  readonly head: Uint8Array;
  readonly body: StreamedBody;
}

/**
 * Where an upload's bytes come from, received only when the use case asks for them, so a request
 * for a product that does not exist is answered before its body is read. A transport failure
 * (a malformed or oversized envelope, no file) comes back as the problem to answer with.
 */
export interface UploadSource {
  receive(maxBytes: number): Promise<Result<ReceivedFile, DomainError>>;
}

/** What became of the upload: a new pending image, or the product's image of the same bytes. */
export interface UploadOutcome {
  readonly image: ProductImage;
  /** False when the product already had these bytes: nothing was added. */
  readonly added: boolean;
}

/**
 * Stores an uploaded original under a content-addressed key and appends it to the product as a
 * pending image, processed like a URL image. The bytes are sniffed, never trusted by name; the
 * same bytes uploaded twice to one product give the image they already are. A user actor uploads
 * to its own user's products only; `actor` defaults to the library's caller, an admin.
 */
export async function uploadImage(
  deps: UploadImageDeps,
  productId: number,
  source: UploadSource,
  { actor = ADMIN, ...options }: WriteContext & { maxBytes: number; allowSvg?: boolean; actor?: Actor },
): Promise<Result<UploadOutcome, DomainError>> {
  const product = await deps.products.findById(productId);
  if (!product) return err(productNotFound(productId));
  if (!actsFor(actor, product.user_id)) return err(forbidden("upload to another user's product"));
  const received = await source.receive(options.maxBytes);
  if (!received.ok) return received;
  const file = received.value;
  if (file.size === 0) return err(validationFailed([{ path: 'file', message: 'is empty' }]));
  if (file.size > options.maxBytes) {
    return err(validationFailed([{ path: 'file', message: `must be at most ${options.maxBytes} bytes` }]));
  }
  const format = sniffImageFormat(file.head);
  if (!format) return err(validationFailed([{ path: 'file', message: 'is not an image' }]));
  if (format === 'svg' && !options.allowSvg) {
    return err(validationFailed([{ path: 'file', message: 'SVG images are not accepted' }]));
  }

  const key = digestKey('originals', file.body.sha256, format);
  const added = await storeReferenced(
    deps,
    { key, body: file.body, contentType: contentTypeOf(format) },
    () => deps.products.addImage(productId, { source_url: deps.objects.urlFor(key), source_key: key }, options),
    (result) => result.ok,
    deps.lifecycle,
  );
  if (added.ok) {
    if (added.value.added) await productChanged(deps.cache, added.value.product);
    return ok({ image: added.value.image, added: added.value.added });
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
