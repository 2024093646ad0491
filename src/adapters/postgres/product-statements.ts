import { and, between, desc, eq, ilike, lt, sql } from 'drizzle-orm';
import type { ProductQuery } from '../../application/index.js';
import { priceToDecimal, PRICE_MAX, PRICE_MIN } from '../../domain/index.js';
import type { Database } from './connection.js';
import { imageColumns, productSelection } from './product-rows.js';
import { productImages, products } from './schema.js';

// The first page has no cursor; every id is a safe integer, so this bound excludes nothing.
const NO_CURSOR = Number.MAX_SAFE_INTEGER;

/** `text` as a literal ILIKE substring pattern: %, _ and the escape character \ match themselves. */
export const containsPattern = (text: string): string => `%${text.replace(/[\\%_]/g, '\\$&')}%`;

/**
 * How the name filter may run: `indexed` lets the planner use the trigram index; `scanned` hides
 * the column behind an expression (same result) so the rows come from the user's own index and
 * the name is checked on each.
 */
type NameFilter = 'none' | 'indexed' | 'scanned';

const userAndPrice = (withPrice: boolean) =>
  and(
    eq(products.user_id, sql.placeholder('user_id')),
    lt(products.id, sql.placeholder('after_id')),
    withPrice ? between(products.product_price, sql.placeholder('price_min'), sql.placeholder('price_max')) : undefined,
  );

const nameCondition = (name: NameFilter) => {
  if (name === 'none') return undefined;
  const column = name === 'indexed' ? products.product_name : sql`(${products.product_name} || '')`;
  return ilike(column, sql.placeholder('pattern'));
};

const listStatement = (db: Database, withPrice: boolean, name: NameFilter) =>
  db
    .select(productSelection)
    .from(products)
    .where(and(userAndPrice(withPrice), nameCondition(name)))
    .orderBy(desc(products.id))
    .limit(sql.placeholder('limit'))
    .prepare(`products_list${withPrice ? '_price' : ''}${name === 'none' ? '' : `_name_${name}`}`);

/** How many of the user's products (in the price range) there are, counted up to `cap` + 1. */
const candidatesStatement = (db: Database, withPrice: boolean) =>
  db
    .select({ count: sql<number>`count(*)::int` })
    .from(db.select({ id: products.id }).from(products).where(userAndPrice(withPrice)).limit(sql.placeholder('cap')).as('candidates'))
    .prepare(`products_list_candidates${withPrice ? '_price' : ''}`);

/**
 * Below this many candidate rows (the user's products, in the price range if one is given), a
 * name filter checks each row rather than intersecting with the trigram index. The planner
 * underrates the GIN scan of a common term: at 1,000,000 products it read 50,000 index entries
 * for 20 rows (16.5 ms on average over 20 terms, 23 ms at worst) where checking the user's ~300
 * rows took 7.5 ms on average with cold pages and 1.7 ms warm (README, Storage).
 */
export const NAME_SCAN_LIMIT = 2_000;

/**
 * The prepared reads of the product repository. Optional filters would make one catch-all
 * statement plan badly, so the list has variants (price range yes/no × name none/indexed/scanned);
 * the keyset bound is always present because it never changes the plan's shape.
 */
export function productStatements(db: Database, options: { nameScanLimit?: number } = {}) {
  const nameScanLimit = options.nameScanLimit ?? NAME_SCAN_LIMIT;
  const variants = (withPrice: boolean) => ({
    none: listStatement(db, withPrice, 'none'),
    indexed: listStatement(db, withPrice, 'indexed'),
    scanned: listStatement(db, withPrice, 'scanned'),
  });
  const lists = { withoutPrice: variants(false), withPrice: variants(true) };
  const candidates = { withoutPrice: candidatesStatement(db, false), withPrice: candidatesStatement(db, true) };
  return {
    byId: db.select(productSelection).from(products).where(eq(products.id, sql.placeholder('id'))).prepare('products_by_id'),
    imageById: db.select(imageColumns).from(productImages).where(eq(productImages.id, sql.placeholder('id'))).prepare('images_by_id'),
    async list(query: ProductQuery) {
      const withPrice = query.price_min !== undefined || query.price_max !== undefined;
      // An open side of the range takes the bound the column's CHECK and type impose anyway.
      const parameters = {
        user_id: query.user_id,
        after_id: query.after_id ?? NO_CURSOR,
        price_min: priceToDecimal(query.price_min ?? PRICE_MIN),
        price_max: priceToDecimal(query.price_max ?? PRICE_MAX),
        pattern: containsPattern(query.name_contains ?? ''),
        limit: query.limit,
      };
      const variant = withPrice ? 'withPrice' : 'withoutPrice';
      let name: NameFilter = 'none';
      if (query.name_contains !== undefined) {
        const [row] = await candidates[variant].execute({ ...parameters, cap: nameScanLimit + 1 });
        name = (row?.count ?? 0) > nameScanLimit ? 'indexed' : 'scanned';
      }
      return lists[variant][name].execute(parameters);
    },
  };
}
