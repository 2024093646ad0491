import { sql } from 'drizzle-orm';
import type { Task, WriteContext } from '../../application/index.js';
import type { Database } from './connection.js';
import { outbox } from './schema.js';

/** The channel relays LISTEN on; the payload is empty, the rows are the news. */
export const OUTBOX_CHANNEL = 'outbox';

/** A task as stored: the `traceparent` of its cause rides inside the task's JSON (no column of its own). */
export type StoredTask = Task & { readonly traceparent?: string };

/** The task and the traceparent stored with it. */
export function fromStored(stored: StoredTask): { task: Task; traceparent: string | undefined } {
  const { traceparent, ...task } = stored;
  return { task: task as Task, traceparent };
}

/**
 * Adds `tasks` to the outbox in the caller's transaction, in their order, and wakes the relays.
 * One round trip with one parameter, the tasks' JSON (a bulk create queues a thousand at once):
 * the insert runs as a data-modifying CTE of the NOTIFY, which PostgreSQL delivers at commit and
 * drops on rollback.
 */
export async function enqueue(tx: Database, tasks: readonly Task[], context: WriteContext = {}): Promise<void> {
  if (tasks.length === 0) return;
  const { requestId, traceparent } = context;
  const stored = traceparent === undefined ? tasks : tasks.map((task): StoredTask => ({ ...task, traceparent }));
  await tx.execute(sql`
    with queued as (
      insert into ${outbox} (task, request_id)
      select t.task, ${requestId ?? null}::text from jsonb_array_elements(${JSON.stringify(stored)}::jsonb) with ordinality as t(task, n) order by t.n
    )
    select pg_notify(${OUTBOX_CHANNEL}, '')`);
}
