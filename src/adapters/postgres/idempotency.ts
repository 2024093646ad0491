import { eq, sql } from 'drizzle-orm';
import type { IdempotencyKey } from '../../application/index.js';
import type { Product } from '../../domain/index.js';
import type { Database } from './connection.js';
import { idempotencyKeys } from './schema.js';

const keys = idempotencyKeys;
const expired = sql`${keys.created_at} < now() - interval '24 hours'`;

/**
 * Claims `key` for the calling transaction: inserts it, or takes over a record older than 24 hours.
 * A concurrent transaction inserting the same key waits on the unique index until this one ends,
 * so only one of them can claim it. False when a live record exists.
 */
export async function claimKey(tx: Database, { key, fingerprint }: IdempotencyKey): Promise<boolean> {
  const claimed = await tx
    .insert(keys)
    .values({ key, fingerprint })
    .onConflictDoUpdate({
      target: keys.key,
      set: { fingerprint, product_id: null, response: null, created_at: sql`now()` },
      setWhere: expired,
    })
    .returning({ key: keys.key });
  return claimed.length > 0;
}

/** The live record of a key another request claimed: its fingerprint and the product it created. */
export async function recordedKey(tx: Database, key: string): Promise<{ fingerprint: string; product: Product }> {
  const [row] = await tx.select({ fingerprint: keys.fingerprint, response: keys.response }).from(keys).where(eq(keys.key, key));
  // claimKey just found the committed record, and records are never deleted within a day.
  if (!row?.response) throw new Error(`Idempotency key ${key} has no recorded response`);
  const product = row.response as Omit<Product, 'version'> & { version?: number; created_at: string; updated_at: string };
  return {
    fingerprint: row.fingerprint,
    // Snapshots recorded before products had versions carry none; every product started at 1.
    product: { ...product, version: product.version ?? 1, created_at: new Date(product.created_at), updated_at: new Date(product.updated_at) },
  };
}

/** Stores the product a claimed key created, as the response every replay returns. */
export async function recordResponse(tx: Database, key: string, product: Product): Promise<void> {
  await tx.update(keys).set({ product_id: product.id, response: product }).where(eq(keys.key, key));
}
