import postgres from 'postgres';

/**
 * The nouns product names end with: each names about 1 product in 20, so a `product_name` filter on
 * one of them is selective without being empty.
 */
export const NAME_TERMS = [
  'chair', 'lamp', 'desk', 'table', 'sofa', 'shelf', 'mirror', 'rug', 'stool', 'bench',
  'cabinet', 'dresser', 'clock', 'vase', 'kettle', 'blender', 'toaster', 'speaker', 'monitor', 'backpack',
] as const;
const ADJECTIVES = ['Compact', 'Vintage', 'Modern', 'Rustic', 'Classic', 'Sleek', 'Cozy', 'Sturdy', 'Elegant', 'Portable', 'Minimal', 'Deluxe'];
const MATERIALS = ['oak', 'walnut', 'steel', 'brass', 'glass', 'linen', 'leather', 'ceramic', 'bamboo', 'marble'];

/** Prices are spread uniformly over this range (inclusive, two decimals). */
export const PRICE_RANGE = { min: 1, max: 1000 } as const;

/** Ids are bigint: postgres.js hands them over as strings. */
export interface Catalog {
  readonly userIds: readonly string[];
  /** A random sample of at most `SAMPLE` product ids. */
  readonly productIds: readonly string[];
}

const SAMPLE = 10_000;
// Two inserts and the index builds run side by side: most machines running this have two cores.
const PARALLEL = 2;
const textArray = (values: readonly string[]) => `array[${values.map((value) => `'${value}'`).join(',')}]`;
const pick = (array: string) => `(${array})[1 + floor(random() * cardinality(${array}))::int]`;
const INSERT_PRODUCTS = `
  insert into products (user_id, product_name, product_description, product_price)
  select u.ids[1 + floor(random() * cardinality(u.ids))::int],
         ${pick(textArray(ADJECTIVES))} || ' ' || ${pick(textArray(MATERIALS))} || ' ' || ${pick(textArray(NAME_TERMS))} || ' ' || g,
         'Benchmark product number ' || g,
         round((${PRICE_RANGE.min} + random() * ${PRICE_RANGE.max - PRICE_RANGE.min})::numeric, 2)
  from generate_series($1::int, $2::int) as g, (select $3::bigint[] as ids) as u`;

/**
 * `users` users and `products` products spread over them at random, with INSERT … SELECT, then
 * ANALYZE. Names read like "Rustic oak lamp 48213" (adjective × material × noun, see NAME_TERMS);
 * prices are uniform over PRICE_RANGE. The random generator is seeded, so two runs seed the same
 * catalog. No image rows. The secondary indexes of `products` are dropped during the insert and
 * rebuilt from their own definitions afterwards, which took a million products from 70 s to 45 s
 * on a busy 2-core machine.
 */
export async function seedCatalog(databaseUrl: string, options: { products: number; users: number }): Promise<Catalog> {
  const sql = postgres(databaseUrl, { max: PARALLEL, onnotice: () => undefined });
  try {
    const users = await sql<{ id: string }[]>`
      insert into users (name, email)
      select 'Bench User ' || g, 'bench-user-' || g || '@example.com' from generate_series(1, ${options.users}::int) as g
      returning id`;
    const userIds = users.map((row) => String(row.id));
    const indexes = await sql<{ name: string; definition: string }[]>`
      select indexrelid::regclass::text as name, pg_get_indexdef(indexrelid) as definition
      from pg_index
      where indrelid = 'products'::regclass and indexrelid not in (select conindid from pg_constraint)`;
    for (const { name } of indexes) await sql.unsafe(`drop index ${name}`);
    const chunk = Math.ceil(options.products / PARALLEL);
    await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        // A transaction holds one connection, so setseed governs the insert that follows it.
        sql.begin(async (tx) => {
          await tx`select setseed(${(i + 1) / (PARALLEL + 1)})`;
          await tx.unsafe(INSERT_PRODUCTS, [i * chunk + 1, Math.min(options.products, (i + 1) * chunk), userIds]);
        }),
      ),
    );
    await Promise.all(
      indexes.map(({ definition }) =>
        sql.begin(async (tx) => {
          await tx`set local maintenance_work_mem = '256MB'`;
          await tx.unsafe(definition);
        }),
      ),
    );
    await sql`analyze users`;
    await sql`analyze products`;
    const sample = await sql<{ id: string }[]>`select id from products order by random() limit ${SAMPLE}`;
    return { userIds, productIds: sample.map((row) => String(row.id)) };
  } finally {
    await sql.end({ timeout: 5 });
  }
}
