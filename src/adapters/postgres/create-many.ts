import { inArray, sql } from 'drizzle-orm';
import { imageProcessTask, productEventTask, type BulkItem, type BulkOutcome, type CreateManyOptions } from '../../application/index.js';
import { assembleProduct, err, ok, type Product } from '../../domain/index.js';
import type { Database } from './connection.js';
import { eventStamp } from './event-tasks.js';
import { enqueue } from './outbox-tasks.js';
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
 * tasks and record the keys' responses, whatever the number of items. Products are inserted in
 * item order; their identity ids ascend in that order, which is how rows are matched back.
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
    const rows = await tx
      .insert(products)
      .values(fresh.map(({ item }) => ({ user_id: item.product.user_id, ...fieldValues(item.product) }) as typeof products.$inferInsert))
      .returning({ id: products.id, version: products.version, created_at: products.created_at, updated_at: products.updated_at });
    rows.sort((a, b) => a.id - b.id);
    const images = fresh.flatMap(({ item }, n) => item.product.product_images.map((source_url, position) => ({ product_id: rows[n]!.id, position, source_url })));
    const inserted = images.length === 0 ? [] : (await tx.insert(productImages).values(images).returning(insertedImageColumns)).map(splitQueued);
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

function revive(response: unknown): Product {
  const product = response as Product & { created_at: string; updated_at: string };
  return { ...product, created_at: new Date(product.created_at), updated_at: new Date(product.updated_at) };
}
