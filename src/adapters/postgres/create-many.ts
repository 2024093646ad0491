import { inArray, sql } from 'drizzle-orm';
import { imageProcessTask, productEventTask, type BulkItem, type BulkOutcome, type CreateManyOptions } from '../../application/index.js';
import { assembleProduct, err, ok, type NewProduct, type Product, type ProductImage } from '../../domain/index.js';
import type { Database } from './connection.js';
import { eventStamp } from './event-tasks.js';
import { enqueue } from './outbox-tasks.js';
import { rowsOf } from './rows-of.js';
import { fieldValues, insertedImageColumns, splitQueued } from './product-rows.js';
import { idempotencyKeys, productImages, products, users } from './schema.js';

/** Thrown inside the transaction of an atomic call that must write nothing; carries the outcomes. */
export class RolledBack extends Error {
  constructor(readonly outcomes: BulkOutcome[]) {
    super('atomic bulk create rolled back');
  }
}

const expired = sql`${idempotencyKeys.created_at} < now() - interval '24 hours'`;

/**
 * The transaction of ProductRepo.createMany, set-based: one statement each to find the users, claim
 * the keys, read the keys claimed before, insert the products, insert their images, queue their
 * tasks and record the keys' responses, whatever the number of items. Each product's id is drawn
 * from the identity's sequence next to its item's position before the insert, so rows are matched
 * back to items by position, never by the order ids happened to be given in.
 */
export async function createMany(tx: Database, items: readonly BulkItem[], { atomic, ...context }: CreateManyOptions): Promise<BulkOutcome[]> {
  const outcomes: (BulkOutcome | undefined)[] = Array.from({ length: items.length }, () => undefined);
  const userIds = [...new Set(items.map((item) => item.product.user_id))];
  const found = new Set((await tx.select({ id: users.id }).from(users).where(inArray(users.id, userIds))).map((row) => row.id));
  items.forEach((item, i) => {
    if (!found.has(item.product.user_id)) outcomes[i] = err('user.not_found');
  });

  const keyed = items.flatMap((item, i) => (item.idempotency && !outcomes[i] ? [{ i, ...item.idempotency }] : []));
  if (keyed.length > 0) {
    const claimed = new Set(
      (
        await tx
          .insert(idempotencyKeys)
          .values(keyed.map(({ key, fingerprint }) => ({ key, fingerprint })))
          .onConflictDoUpdate({
            target: idempotencyKeys.key,
            set: { fingerprint: sql`excluded.fingerprint`, product_id: null, response: null, created_at: sql`now()` },
            setWhere: expired,
          })
          .returning({ key: idempotencyKeys.key })
      ).map((row) => row.key),
    );
    const earlier = keyed.filter(({ key }) => !claimed.has(key));
    if (earlier.length > 0) {
      const recorded = new Map(
        (
          await tx
            .select({ key: idempotencyKeys.key, fingerprint: idempotencyKeys.fingerprint, response: idempotencyKeys.response })
            .from(idempotencyKeys)
            .where(inArray(idempotencyKeys.key, earlier.map(({ key }) => key)))
        ).map((row) => [row.key, row]),
      );
      for (const { i, key, fingerprint } of earlier) {
        const row = recorded.get(key);
        outcomes[i] = row?.response && row.fingerprint === fingerprint ? ok({ product: revive(row.response), replayed: true }) : err('idempotency.key_reused');
      }
    }
  }
  if (atomic && outcomes.some((outcome) => outcome && !outcome.ok)) {
    throw new RolledBack(Array.from(outcomes, (outcome) => (outcome && !outcome.ok ? outcome : err('bulk.not_created' as const))));
  }

  const fresh = items.flatMap((item, i) => (outcomes[i] ? [] : [{ i, item }]));
  if (fresh.length > 0) {
    const rows = await insertProducts(tx, fresh.map(({ item }) => item.product));
    const images = fresh.flatMap(({ item }, n) => item.product.product_images.map((source_url, position) => ({ product_id: rows[n]!.id, position, source_url })));
    const inserted = (await insertImages(tx, images)).map(splitQueued);
    const byProduct = new Map<number, (typeof inserted)[number][]>();
    for (const entry of inserted) byProduct.set(entry.queued.product_id, [...(byProduct.get(entry.queued.product_id) ?? []), entry]);
    const recorded: { key: string; id: number; response: Product }[] = [];
    const created = fresh.map(({ i, item }, n) => {
      const row = rows[n]!;
      const product = assembleProduct({ ...item.product, ...row }, (byProduct.get(row.id) ?? []).map(({ image }) => image));
      outcomes[i] = ok({ product, replayed: false });
      if (item.idempotency) recorded.push({ key: item.idempotency.key, id: row.id, response: product });
      return product;
    });
    // Per product, as a single create queues them: its images' jobs, then its event.
    const tasks = created.flatMap((product) => [
      ...(byProduct.get(product.id) ?? []).map(({ queued }) => imageProcessTask(queued)),
      productEventTask(eventStamp, 'product.created', product),
    ]);
    await enqueue(tx, tasks, context);
    if (recorded.length > 0) {
      await tx.execute(sql`
        update ${idempotencyKeys} set product_id = v.id, response = v.response
        from jsonb_to_recordset(${JSON.stringify(recorded)}::jsonb) as v(key text, id bigint, response jsonb)
        where ${idempotencyKeys.key} = v.key`);
    }
  }
  return outcomes as BulkOutcome[];
}

/** The stored fields of one new product, its position among the chunk's products in `n`. */
type ProductInput = Partial<typeof products.$inferInsert> & { n: number; user_id: number };

/**
 * Inserts `inputs` in one statement whose only parameter is their JSON (a 500-row VALUES list would
 * be 2,000 bound parameters for the API to build and send): each row gets its id from the sequence
 * in a materialized CTE first, and the answer joins the inserted rows back to their position.
 */
async function insertProducts(tx: Database, inputs: readonly NewProduct[]): Promise<{ id: number; version: number; created_at: Date; updated_at: Date }[]> {
  const json = JSON.stringify(inputs.map((product, n): ProductInput => ({ n, user_id: product.user_id, ...fieldValues(product) })));
  const result = await tx.execute(sql`
    with input as materialized (
      select nextval(pg_get_serial_sequence('products', 'id')) as id, v.*
      from jsonb_to_recordset(${json}::jsonb) as v(n int, user_id bigint, product_name text, product_description text, product_price numeric)
    ), inserted as (
      insert into ${products} (id, user_id, product_name, product_description, product_price) overriding system value
      select id, user_id, product_name, product_description, product_price from input order by n
      returning id, version, created_at, updated_at
    )
    select input.n, inserted.id, inserted.version,
           floor(extract(epoch from inserted.created_at) * 1000)::float8 as created_ms,
           floor(extract(epoch from inserted.updated_at) * 1000)::float8 as updated_ms
    from inserted join input on input.id = inserted.id`);
  const rows = rowsOf<{ n: number; id: string | number; version: number; created_ms: number; updated_ms: number }>(result);
  const byPosition = Array.from({ length: inputs.length }, () => undefined as { id: number; version: number; created_at: Date; updated_at: Date } | undefined);
  for (const row of rows) {
    byPosition[row.n] = { id: Number(row.id), version: row.version, created_at: new Date(row.created_ms), updated_at: new Date(row.updated_ms) };
  }
  if (byPosition.some((row) => row === undefined)) throw new Error(`bulk insert returned ${rows.length} rows for ${inputs.length} products`);
  return byPosition as { id: number; version: number; created_at: Date; updated_at: Date }[];
}

// Each returned image row as one JSON object under its domain names (the columns' own names).
const imageJson = sql.join(
  Object.entries(insertedImageColumns).map(([name, column]) => sql`${sql.raw(`'${name}'`)}, ${sql.identifier(column.name)}`),
  sql`, `,
);

type InsertedImage = ProductImage & { product_id: number; version: number };

/** Inserts the chunk's images in one statement with one JSON parameter, as insertProducts does. */
async function insertImages(tx: Database, images: readonly { product_id: number; position: number; source_url: string }[]): Promise<InsertedImage[]> {
  if (images.length === 0) return [];
  const result = await tx.execute(sql`
    insert into ${productImages} (product_id, position, source_url)
    select v.product_id, v.position, v.source_url
    from jsonb_to_recordset(${JSON.stringify(images.map((image, n) => ({ n, ...image })))}::jsonb) as v(n int, product_id bigint, position smallint, source_url text)
    order by v.n
    returning json_build_object(${imageJson})::text as image`);
  return rowsOf<{ image: string }>(result).map((row) => JSON.parse(row.image) as InsertedImage);
}

function revive(response: unknown): Product {
  const product = response as Product & { created_at: string; updated_at: string };
  return { ...product, created_at: new Date(product.created_at), updated_at: new Date(product.updated_at) };
}
