import { sql } from 'drizzle-orm';
import type { Database } from './connection.js';

/**
 * Serializes the transactions that touch one object key (referencing it from an image row,
 * deleting the object when unreferenced) until they end. Take it before any row lock. Distinct
 * keys whose hashes collide merely wait for each other.
 */
export const lockKey = async (tx: Database, key: string): Promise<void> => {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
};
