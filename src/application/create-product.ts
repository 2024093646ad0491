import {
  canonicalJson,
  domainError,
  err,
  LIMITS,
  ok,
  productProblems,
  userIdProblems,
  validationFailed,
  type DomainError,
  type NewProduct,
  type Result,
} from '../domain/index.js';
import { productChanged } from './product-cache.js';
import type { Cache } from './ports/cache.js';
import type { CreatedProduct, ProductRepo } from './ports/product-repo.js';

export interface CreateProductOptions {
  /** Client-chosen retry token (the `Idempotency-Key` header). */
  readonly idempotencyKey?: string | undefined;
  /** The causing request, carried to the image jobs' logs. */
  readonly requestId?: string | undefined;
}

const KEY = /^[\x21-\x7e]+$/;

/** Validates and stores a new product; its images start `pending`. */
export async function createProduct(
  deps: { products: ProductRepo; cache: Cache },
  input: NewProduct,
  options: CreateProductOptions = {},
): Promise<Result<CreatedProduct, DomainError>> {
  const problems = [...userIdProblems(input.user_id), ...productProblems(input)];
  const key = options.idempotencyKey;
  if (key !== undefined && (key.length > LIMITS.idempotencyKeyMaxLength || !KEY.test(key))) {
    problems.push({
      path: 'Idempotency-Key',
      message: `must be 1 to ${LIMITS.idempotencyKeyMaxLength} printable ASCII characters`,
    });
  }
  if (problems.length > 0) return err(validationFailed(problems));

  const product: NewProduct = {
    user_id: input.user_id,
    product_name: input.product_name,
    product_description: input.product_description,
    product_images: [...input.product_images],
    product_price: input.product_price,
  };
  const idempotency = key === undefined ? undefined : { key, fingerprint: canonicalJson(product) };
  const created = await deps.products.create(product, { idempotency, requestId: options.requestId });
  if (created.ok) {
    // Clears a cached "not found" for this id, should anyone have asked for it early.
    if (!created.value.replayed) await productChanged(deps.cache, created.value.product.id, created.value.product.version);
    return ok(created.value);
  }
  if (created.error === 'user.not_found') {
    return err(
      domainError('user.not_found', `User ${input.user_id} does not exist.`, [
        { path: 'user_id', message: 'does not exist' },
      ]),
    );
  }
  return err(
    domainError(
      'idempotency.key_reused',
      'This Idempotency-Key was already used with a different request body.',
      [{ path: 'Idempotency-Key', message: 'was used with another body' }],
    ),
  );
}
