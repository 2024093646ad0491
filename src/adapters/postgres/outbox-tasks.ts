import { sql } from 'drizzle-orm';
import type { Task } from '../../application/index.js';
import type { Database } from './connection.js';
import { outbox } from './schema.js';

/** The channel relays LISTEN on; the payload is empty, the rows are the news. */
export const OUTBOX_CHANNEL = 'outbox';

/**
 * Adds `tasks` to the outbox in the caller's transaction and wakes the relays. One round trip:
 * the insert runs as a data-modifying CTE of the NOTIFY, which PostgreSQL delivers at commit and
 * drops on rollback.
 */
export async function enqueue(tx: Database, tasks: readonly Task[], requestId: string | undefined): Promise<void> {
  if (tasks.length === 0) return;
  const insert = tx.insert(outbox).values(tasks.map((task) => ({ task, request_id: requestId ?? null })));
  await tx.execute(sql`with queued as (${insert.getSQL()}) select pg_notify(${OUTBOX_CHANNEL}, '')`);
}
