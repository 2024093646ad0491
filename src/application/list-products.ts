import {
  decodeCursor,
  encodeCursor,
  err,
  LIMITS,
  ok,
  priceProblem,
  userIdProblems,
  validationFailed,
  type DomainError,
  type FieldError,
  type Product,
  type Result,
} from '../domain/index.js';
import type { ProductQuery, ProductRepo } from './ports/product-repo.js';

export interface ListProductsInput {
  readonly user_id: number;
  readonly price_min?: number;
  readonly price_max?: number;
  readonly product_name?: string;
  readonly limit?: number;
  readonly cursor?: string;
}

export interface ProductPage {
  readonly items: Product[];
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly next_cursor: string | null;
}

function problemsOf(input: ListProductsInput): FieldError[] {
  const problems = userIdProblems(input.user_id);
  for (const bound of ['price_min', 'price_max'] as const) {
    const problem = input[bound] === undefined ? null : priceProblem(input[bound], bound);
    if (problem) problems.push(problem);
  }
  if (
    problems.length === 0 &&
    input.price_min !== undefined &&
    input.price_max !== undefined &&
    input.price_min > input.price_max
  ) {
    problems.push({ path: 'price_min', message: 'must be less than or equal to price_max' });
  }
  if (input.product_name !== undefined && input.product_name.length > LIMITS.nameMaxLength) {
    problems.push({ path: 'product_name', message: `must have at most ${LIMITS.nameMaxLength} characters` });
  }
  const limit = input.limit;
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= LIMITS.listMaxLimit)) {
    problems.push({ path: 'limit', message: `must be an integer from 1 to ${LIMITS.listMaxLimit}` });
  }
  if (input.cursor !== undefined && decodeCursor(input.cursor) === null) {
    problems.push({ path: 'cursor', message: 'is not a cursor this service issued' });
  }
  return problems;
}

/** One page of a user's products, newest first, filtered by price range and name. */
export async function listProducts(
  deps: { products: ProductRepo },
  input: ListProductsInput,
): Promise<Result<ProductPage, DomainError>> {
  const problems = problemsOf(input);
  if (problems.length > 0) return err(validationFailed(problems));
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
  return ok({ items, next_cursor: rows.length > limit && last ? encodeCursor(last.id) : null });
}
