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
    limit,
    ...(input.price_min !== undefined && { price_min: input.price_min }),
    ...(input.price_max !== undefined && { price_max: input.price_max }),
    ...(name && { name_contains: name }),
    ...(input.cursor !== undefined && { after_id: decodeCursor(input.cursor) as number }),
  };
  const { items, more } = await fetchPage(deps, query, budget);
  const last = items[items.length - 1];
  return ok({ items, next_cursor: more && last ? encodeCursor(last.id) : null, query: input });
}

/**
 * Rows read before the budget is first looked at. With a budget, a page is read in steps: this
 * many rows, then (while they all fit) as many more as the budget left can hold at the average
 * size so far. A page of products at the field limits thus never has 200 of them (~9 MB) read for
 * the ~22 the budget lets through, which on the embedded database would block the event loop for
 * a third of a second; an ordinary page (small rows) still takes one or two queries.
 */
const FIRST_READ = 20;

/** The page's products within `query.limit` and the budget, and whether more follow. */
async function fetchPage(
  deps: { products: Pick<ProductRepo, 'list'> },
  query: ProductQuery,
  budget: PageBudget | undefined,
): Promise<{ items: Product[]; more: boolean }> {
  const items: Product[] = [];
  let spent = 0;
  let after = query.after_id;
  let wanted = budget ? Math.min(query.limit, FIRST_READ) : query.limit;
  for (;;) {
    // One extra row tells whether anything follows.
    const rows = await deps.products.list({ ...query, ...(after !== undefined && { after_id: after }), limit: wanted + 1 });
    for (const product of rows.slice(0, wanted)) {
      const size = budget ? budget.measure(product) : 0;
      if (budget && items.length > 0 && spent + size > budget.maxBytes) return { items, more: true };
      spent += size;
      items.push(product);
    }
    if (rows.length <= wanted) return { items, more: false };
    if (items.length >= query.limit) return { items, more: true };
    after = items[items.length - 1]!.id;
    const left = query.limit - items.length;
    // Only a budgeted page reads again: as many as the budget left holds at the average size, and
    // one more (the page ends where a row does not fit).
    wanted = Math.min(left, Math.floor((budget!.maxBytes - spent) / (spent / items.length)) + 1);
  }
}
