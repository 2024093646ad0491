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
 * What one page may cost: products are taken while their sizes (as `measure` counts them, e.g.
 * the bytes of their JSON) add up to at most `maxBytes`, one at least; the next page starts after
 * the last one taken. A page of 200 products at the field limits would otherwise be ~27 MB.
 */
export interface PageBudget {
  readonly maxBytes: number;
  readonly measure: (product: Product) => number;
}

/**
 * One page of a user's products, newest first, filtered by price range and name, within the
 * budget when one is given. The query is taken as received (numbers already read from query text
 * where they are numbers) and checked here against `LIST_QUERY`.
 */
export async function listProducts(
  deps: { products: Pick<ProductRepo, 'list'> },
  received: unknown,
  budget?: PageBudget,
): Promise<Result<ProductPage, DomainError>> {
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
  const items = within(rows.slice(0, limit), budget);
  const last = items[items.length - 1];
  const more = rows.length > items.length;
  return ok({ items, next_cursor: more && last ? encodeCursor(last.id) : null, query: input });
}

/** The leading products whose sizes fit the budget, one at least. */
function within(products: Product[], budget: PageBudget | undefined): Product[] {
  if (!budget) return products;
  let spent = 0;
  const taken: Product[] = [];
  for (const product of products) {
    spent += budget.measure(product);
    if (taken.length > 0 && spent > budget.maxBytes) break;
    taken.push(product);
  }
  return taken;
}
