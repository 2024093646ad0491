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
import { productsChanged, type ProductWriteCache } from './product-cache.js';
import type { BulkItem, BulkOutcome, CreatedProduct, ProductRepo } from './ports/product-repo.js';

/** What became of the item at `index` (0-based, in request order). */
export interface BulkResult {
  readonly index: number;
  readonly outcome: Result<CreatedProduct, DomainError>;
}

/** An item as the transport read it: parsed (not yet checked), or why it could not be. */
export type ReceivedItem = Result<unknown, DomainError>;

export interface BulkCreateOptions {
  /** The request's retry token: item i is created at most once under `<key>#<i>`. */
  readonly idempotencyKey?: string | undefined;
  readonly requestId?: string | undefined;
  /** The request's span (W3C `traceparent`), which the image jobs' spans join. */
  readonly traceparent?: string | undefined;
  readonly actor?: Actor | undefined;
  /** All or nothing, for at most `BULK_LIMITS.atomicItems` items. */
  readonly atomic?: boolean | undefined;
  /** Items read before the rest is refused (default `BULK_LIMITS.streamItems`). */
  readonly maxItems?: number | undefined;
  /** Valid items per transaction (default BULK_CHUNK_SIZE). */
  readonly chunkSize?: number | undefined;
}

/** Valid items per transaction of a streamed bulk create. */
export const BULK_CHUNK_SIZE = 1_000;

export const BULK_LIMITS = { arrayItems: 1_000, streamItems: 100_000, atomicItems: 1_000 } as const;

const notCreated = domainError('bulk.not_created', 'Not created: another item of this atomic request failed, so none was.');
const tooMany = (max: number) => domainError('bulk.too_many_items', `A bulk request holds at most ${max} items; the rest was not read.`);

/** A user key's items may leave user_id out: the product is then its user's (as for one create). */
function withOwner(input: unknown, actor: Actor): unknown {
  if (actor.kind !== 'user' || typeof input !== 'object' || input === null || Array.isArray(input) || 'user_id' in input) return input;
  return { ...input, user_id: actor.userId };
}

function checkItem(received: ReceivedItem, actor: Actor): Result<NewProduct, DomainError> {
  if (!received.ok) return received;
  const checked = checkRecord(withOwner(received.value, actor), NEW_PRODUCT);
  if (!checked.ok) return err(validationFailed(checked.error));
  if (actor.kind === 'user' && checked.value.user_id !== actor.userId) return err(forbidden('create products for another user'));
  return ok(checked.value);
}

function toResult(outcome: BulkOutcome, product: NewProduct): Result<CreatedProduct, DomainError> {
  if (outcome.ok) return outcome;
  if (outcome.error === 'bulk.not_created') return err(notCreated);
  if (outcome.error === 'user.not_found') {
    return err(domainError('user.not_found', `User ${product.user_id} does not exist.`, [{ path: 'user_id', message: 'does not exist' }]));
  }
  return err(domainError('idempotency.key_reused', 'This Idempotency-Key was already used with a different request body.', [{ path: 'Idempotency-Key', message: 'was used with another body' }]));
}

/**
 * POST /products/bulk: each item is checked on its own like a single create and the valid ones are
 * stored in chunks, one transaction each (ProductRepo.createMany), while the invalid ones are
 * answered with their problem; results come in item order, as soon as their chunk committed, so a
 * stream of any length is held one chunk at a time. With a key, item i is keyed `<key>#<i>`: a
 * retry of the same request after a dropped connection replays the committed chunks and creates
 * the rest. `atomic` reads every item first (at most 1,000) and writes all or none.
 */
export function bulkCreateProducts(
  deps: { products: Pick<ProductRepo, 'createMany'>; cache: ProductWriteCache },
  items: AsyncIterable<ReceivedItem> | Iterable<ReceivedItem>,
  options: BulkCreateOptions = {},
): Result<AsyncIterable<BulkResult>, DomainError> {
  const key = options.idempotencyKey;
  const keyChecked = key === undefined ? undefined : IDEMPOTENCY_KEY.check(key, 'Idempotency-Key');
  if (keyChecked && !keyChecked.ok) return err(validationFailed(keyChecked.error));
  return ok(options.atomic ? atomically(deps, items, options) : inChunks(deps, items, options));
}

type Pending = { index: number; product: NewProduct } | { index: number; error: DomainError };

const bulkItem = (pending: { index: number; product: NewProduct }, key: string | undefined): BulkItem => ({
  product: pending.product,
  ...(key !== undefined && { idempotency: { key: `${key}#${pending.index}`, fingerprint: canonicalJson(pending.product) } }),
});

/** Stores a chunk's valid items; every item's result, in order, once the chunk committed. */
async function store(deps: Parameters<typeof bulkCreateProducts>[0], batch: Pending[], options: BulkCreateOptions, atomic: boolean): Promise<BulkResult[]> {
  const valid = batch.filter((pending): pending is { index: number; product: NewProduct } => 'product' in pending);
  const outcomes = valid.length === 0 ? [] : await deps.products.createMany(valid.map((pending) => bulkItem(pending, options.idempotencyKey)), { atomic, requestId: options.requestId, traceparent: options.traceparent });
  const created = outcomes.flatMap((outcome) => (outcome.ok && !outcome.value.replayed ? [outcome.value.product] : []));
  if (created.length > 0) await productsChanged(deps.cache, created);
  const byIndex = new Map(valid.map((pending, n) => [pending.index, toResult(outcomes[n]!, pending.product)]));
  return batch.map((pending) => ({ index: pending.index, outcome: 'error' in pending ? err(pending.error) : byIndex.get(pending.index)! }));
}

/**
 * One chunk is stored while the next is read and checked, so the database and the API work side
 * by side; a chunk's results are given once it committed and before the next one is sent, which
 * keeps at most two chunks in memory and the results in item order.
 */
async function* inChunks(deps: Parameters<typeof bulkCreateProducts>[0], items: AsyncIterable<ReceivedItem> | Iterable<ReceivedItem>, options: BulkCreateOptions): AsyncGenerator<BulkResult> {
  const actor = options.actor ?? ADMIN;
  const maxItems = options.maxItems ?? BULK_LIMITS.streamItems;
  const chunkSize = options.chunkSize ?? BULK_CHUNK_SIZE;
  let storing: Promise<BulkResult[]> | undefined;
  // A failed chunk is reported by the await that collects it; until then it must not count as unhandled.
  const send = (batch: Pending[]) => {
    storing = store(deps, batch, options, false);
    storing.catch(() => undefined);
  };
  let batch: Pending[] = [];
  let index = 0;
  let valid = 0;
  try {
    for await (const received of items) {
      if (index === maxItems) {
        if (storing) yield* await storing;
        storing = undefined;
        yield* await store(deps, batch, options, false);
        yield { index, outcome: err(tooMany(maxItems)) };
        return;
      }
      const checked = checkItem(received, actor);
      batch.push(checked.ok ? { index, product: checked.value } : { index, error: checked.error });
      index += 1;
      if (checked.ok) valid += 1;
      if (valid === chunkSize) {
        const previous = storing;
        if (previous) {
          storing = undefined;
          yield* await previous;
        }
        send(batch);
        batch = [];
        valid = 0;
      }
    }
    if (storing) {
      const previous = storing;
      storing = undefined;
      yield* await previous;
    }
    yield* await store(deps, batch, options, false);
  } finally {
    // A consumer that stopped early still waits for the chunk in flight, which commits or fails alone.
    if (storing) await storing.catch(() => undefined);
  }
}

async function* atomically(deps: Parameters<typeof bulkCreateProducts>[0], items: AsyncIterable<ReceivedItem> | Iterable<ReceivedItem>, options: BulkCreateOptions): AsyncGenerator<BulkResult> {
  const actor = options.actor ?? ADMIN;
  const batch: Pending[] = [];
  for await (const received of items) {
    if (batch.length === BULK_LIMITS.atomicItems) {
      for (const pending of batch) yield { index: pending.index, outcome: err('error' in pending ? pending.error : notCreated) };
      yield { index: batch.length, outcome: err(tooMany(BULK_LIMITS.atomicItems)) };
      return;
    }
    const checked = checkItem(received, actor);
    const index = batch.length;
    batch.push(checked.ok ? { index, product: checked.value } : { index, error: checked.error });
  }
  if (batch.some((pending) => 'error' in pending)) {
    for (const pending of batch) yield { index: pending.index, outcome: err('error' in pending ? pending.error : notCreated) };
    return;
  }
  yield* await store(deps, batch, options, true);
}
