import { and, between, desc, eq, ilike, lt, sql } from 'drizzle-orm';
import type { ProductQuery } from '../../application/index.js';
import { priceToDecimal, PRICE_MAX, PRICE_MIN } from '../../domain/index.js';
import type { Database } from './connection.js';
import { productSelection } from './product-rows.js';
import { products } from './schema.js';

// The first page has no cursor; every id is a safe integer, so this bound excludes nothing.
const NO_CURSOR = Number.MAX_SAFE_INTEGER;

/** `text` as a literal ILIKE substring pattern: %, _ and the escape character \ match themselves. */
export const containsPattern = (text: string): string => `%${text.replace(/[\\%_]/g, '\\$&')}%`;

const listStatement = (db: Database, withPrice: boolean, withName: boolean) =>
  db
    .select(productSelection)
    .from(products)
    .where(
      and(
        eq(products.user_id, sql.placeholder('user_id')),
        lt(products.id, sql.placeholder('after_id')),
        withPrice ? between(products.product_price, sql.placeholder('price_min'), sql.placeholder('price_max')) : undefined,
        withName ? ilike(products.product_name, sql.placeholder('pattern')) : undefined,
      ),
    )
    .orderBy(desc(products.id))
    .limit(sql.placeholder('limit'))
    .prepare(`products_list${withPrice ? '_price' : ''}${withName ? '_name' : ''}`);

/**
 * The prepared reads of the product repository. Optional filters would make one catch-all
 * statement plan badly, so the list has four variants (price range yes/no × name yes/no); the
 * keyset bound is always present because it never changes the plan's shape.
 */
export function productStatements(db: Database) {
  const lists = [
    listStatement(db, false, false),
    listStatement(db, false, true),
    listStatement(db, true, false),
    listStatement(db, true, true),
  ] as const;
  return {
    byId: db.select(productSelection).from(products).where(eq(products.id, sql.placeholder('id'))).prepare('products_by_id'),
    list(query: ProductQuery) {
      const withPrice = query.price_min !== undefined || query.price_max !== undefined;
      const withName = query.name_contains !== undefined;
      // An open side of the range takes the bound the column's CHECK and type impose anyway.
      return lists[(withPrice ? 2 : 0) + (withName ? 1 : 0)]!.execute({
        user_id: query.user_id,
        after_id: query.after_id ?? NO_CURSOR,
        price_min: priceToDecimal(query.price_min ?? PRICE_MIN),
        price_max: priceToDecimal(query.price_max ?? PRICE_MAX),
        pattern: containsPattern(query.name_contains ?? ''),
        limit: query.limit,
      });
    },
  };
}
