import {
  checkListQuery,
  decodeCursor,
  encodeCursor,
  err,
  LIMITS,
  ok,
  validationFailed,
  type DomainError,
  type ListQuery,
  type Product,
  type Result,
} from '../domain/index.js';
import type { ProductQuery, ProductRepo } from './ports/product-repo.js';

export interface ProductPage {
  readonly items: Product[];
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly next_cursor: string | null;
  /** The query this page answers, checked and in canonical names (aliases resolved). */
  readonly query: ListQuery;
}

/**
 * One page of a user's products, newest first, filtered by price range and name. The query is
 * taken as received (numbers already read from query text where they are numbers) and checked
 * here against `LIST_QUERY`.
 */
export async function listProducts(deps: { products: Pick<ProductRepo, 'list'> }, received: unknown): Promise<Result<ProductPage, DomainError>> {
  const checked = checkListQuery(received);
  if (!checked.ok) return err(validationFailed(checked.error));
  const input = checked.value;
  const limit = input.limit ?? LIMITS.listDefaultLimit;
  const name = input.product_name?.trim();
  const query: ProductQuery = {
    user_id: input.user_id,
    limit: limit + 1, // one extra row tells whether a next page exists
    ...(input.price_min !== undefined && { price_min: input.price_min }),
    ...(input.price_max !== undefined && { price_max: input.price_max }),
    ...(name && { name_contains: name }),
    ...(input.cursor !== undefined && { after_id: decodeCursor(input.cursor) as number }),
  };
  const rows = await deps.products.list(query);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return ok({ items, next_cursor: rows.length > limit && last ? encodeCursor(last.id) : null, query: input });
}
