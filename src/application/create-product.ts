import {
  ADMIN,
  canonicalJson,
  checkRecord,
  domainError,
  err,
  IDEMPOTENCY_KEY,
  NEW_PRODUCT,
  ok,
  validationFailed,
  type Actor,
  type DomainError,
  type NewProduct,
  type Result,
} from '../domain/index.js';
import { forbidden } from './forbidden.js';
import { productChanged } from './product-cache.js';
import type { Cache } from './ports/cache.js';
import type { CreatedProduct, ProductRepo } from './ports/product-repo.js';

export interface CreateProductOptions {
  /** Client-chosen retry token (the `Idempotency-Key` header). */
  readonly idempotencyKey?: string | undefined;
  /** The causing request, carried to the image jobs' logs. */
  readonly requestId?: string | undefined;
  /** The causing request's span (W3C `traceparent`), which the image jobs' spans join. */
  readonly traceparent?: string | undefined;
  /** Who creates it; the library's own caller (an admin) when not given. */
  readonly actor?: Actor | undefined;
}

/** A user key's body may leave user_id out: the product is then its user's. */
function withOwner(input: unknown, actor: Actor): unknown {
  if (actor.kind !== 'user' || typeof input !== 'object' || input === null || Array.isArray(input) || 'user_id' in input) return input;
  return { ...input, user_id: actor.userId };
}

/**
 * Validates and stores a new product; its images start `pending`. `input` is taken as received
 * (a parsed JSON body, say): every rule of `NEW_PRODUCT` is checked here. The key is checked
 * once the body is valid. A user actor creates for its own user only (auth.forbidden otherwise).
 */
export async function createProduct(
  deps: { products: Pick<ProductRepo, 'create'>; cache: Pick<Cache, 'invalidate'> },
  input: unknown,
  options: CreateProductOptions = {},
): Promise<Result<CreatedProduct, DomainError>> {
  const actor = options.actor ?? ADMIN;
  const checked = checkRecord(withOwner(input, actor), NEW_PRODUCT);
  if (!checked.ok) return err(validationFailed(checked.error));
  if (actor.kind === 'user' && checked.value.user_id !== actor.userId) return err(forbidden('create products for another user'));
  const key = options.idempotencyKey;
  const keyChecked = key === undefined ? undefined : IDEMPOTENCY_KEY.check(key, 'Idempotency-Key');
  if (keyChecked && !keyChecked.ok) return err(validationFailed(keyChecked.error));

  const product: NewProduct = checked.value;
  const idempotency = key === undefined ? undefined : { key, fingerprint: canonicalJson(product) };
  const created = await deps.products.create(product, { idempotency, requestId: options.requestId, traceparent: options.traceparent });
  if (created.ok) {
    // Clears a cached "not found" for this id, should anyone have asked for it early.
    if (!created.value.replayed) await productChanged(deps.cache, created.value.product.id, created.value.product.version);
    return ok(created.value);
  }
  if (created.error === 'user.not_found') {
    return err(
      domainError('user.not_found', `User ${product.user_id} does not exist.`, [
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
