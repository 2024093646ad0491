import { count, inArray, notInArray, sql } from 'drizzle-orm';
import { metricSamples, type MetricSample, type MetricsSource, type Outbox, type TaskMessage } from '../../application/index.js';
import type { Connection, Database, PgliteConnection, PostgresConnection } from './connection.js';
import { fromStored, OUTBOX_CHANNEL, type StoredTask } from './outbox-tasks.js';
import { outbox } from './schema.js';

type Publish = (messages: readonly TaskMessage[]) => Promise<void>;

const messageColumns = { id: outbox.id, task: outbox.task, request_id: outbox.request_id };

const toMessages = (rows: { id: number; task: StoredTask; request_id: string | null }[]): TaskMessage[] =>
  rows
    .sort((a, b) => a.id - b.id)
    .map((row) => {
      const { task, traceparent } = fromStored(row.task);
      return { id: String(row.id), task, ...(row.request_id !== null && { request_id: row.request_id }), ...(traceparent !== undefined && { traceparent }) };
    });

// Rows a PGlite relay is publishing, per database, so concurrent relays in the process skip them.
const pgliteClaims = new WeakMap<object, Set<number>>();

/**
 * The outbox table of PostgresProductRepo, relayed by id order and woken by LISTEN/NOTIFY.
 *
 * On PostgreSQL a relay is one transaction: it deletes the rows it claims (FOR UPDATE SKIP
 * LOCKED, so concurrent relays in any process take disjoint rows) and commits only once `publish`
 * resolved; a throw rolls the delete back. It holds one pool connection while publishing.
 *
 * PGlite has one connection, which a transaction would hold for the whole publish, stalling
 * every other query and deadlocking a `publish` that waits for database work. There the rows
 * are claimed in the process instead (PGlite has no other process), published with the
 * connection free, and deleted afterwards; a crash in between publishes them again, which
 * consumers tolerate anyway (deliveries are at least once).
 */
export class PostgresOutbox implements Outbox, MetricsSource {
  readonly #connection: Connection;

  constructor(connection: Connection) {
    this.#connection = connection;
  }

  relay(limit: number, publish: Publish): Promise<number> {
    return this.#connection.driver === 'pglite' ? this.#relayClaimed(this.#connection, limit, publish) : this.#relayLocked(limit, publish);
  }

  #relayLocked(limit: number, publish: Publish): Promise<number> {
    const { limiter } = this.#connection;
    const db: Database = this.#connection.db;
    return limiter.run(() =>
      db.transaction(async (tx) => {
        const claimed = tx.select({ id: outbox.id }).from(outbox).orderBy(outbox.id).limit(limit).for('update', { skipLocked: true });
        const rows = await tx.delete(outbox).where(inArray(outbox.id, claimed)).returning(messageColumns);
        if (rows.length > 0) await publish(toMessages(rows));
        return rows.length;
      }),
    );
  }

  async #relayClaimed({ client, db, limiter }: PgliteConnection, limit: number, publish: Publish): Promise<number> {
    const claims = pgliteClaims.get(client) ?? new Set<number>();
    pgliteClaims.set(client, claims);
    // Claimed inside the limiter slot, so the next relay's query already excludes these rows.
    const rows = await limiter.run(async () => {
      const taken = [...claims];
      const found = await db
        .select(messageColumns)
        .from(outbox)
        .where(taken.length > 0 ? notInArray(outbox.id, taken) : undefined)
        .orderBy(outbox.id)
        .limit(limit);
      for (const row of found) claims.add(row.id);
      return found;
    });
    if (rows.length === 0) return 0;
    const ids = rows.map((row) => row.id);
    try {
      await publish(toMessages(rows));
      await limiter.run(() => db.delete(outbox).where(inArray(outbox.id, ids)));
    } finally {
      for (const id of ids) claims.delete(id);
    }
    return rows.length;
  }

  /** The backlog: rows not yet published, and the age of the oldest (0 when none wait). One query. */
  async metrics(): Promise<MetricSample[]> {
    const { db, limiter } = this.#connection;
    // The age on the database's clock, the one that stamped the rows.
    const age = sql<string>`coalesce(extract(epoch from now() - min(${outbox.created_at})), 0)`;
    const [row] = await limiter.run(() => db.select({ rows: count(), age }).from(outbox));
    return metricSamples(
      'outbox',
      [],
      [
        ['backlog_rows', 'Outbox rows committed but not yet published to the queue (all processes; the relays drain it).', row?.rows ?? 0],
        ['oldest_age_seconds', 'Age of the oldest unpublished outbox row, 0 when none waits.', Math.max(0, Number(row?.age ?? 0))],
      ],
    );
  }

  /**
   * The listener runs after each committed write that queued messages. On PostgreSQL it also
   * runs when postgres.js has re-established its LISTEN connection, as notifications sent while
   * it was down are lost.
   */
  async onAdded(listener: () => void): Promise<() => Promise<void>> {
    let active = true;
    const call = () => {
      if (active) listener();
    };
    const unlisten = await (this.#connection.driver === 'pglite' ? listenPglite(this.#connection, call) : listenPostgres(this.#connection, call));
    return async () => {
      // postgres.js forgets the unlisten handle of a listener it re-registered after a reconnect.
      active = false;
      await unlisten();
    };
  }
}

async function listenPostgres({ client }: PostgresConnection, call: () => void): Promise<() => Promise<void>> {
  let listened = false;
  const { unlisten } = await client.listen(OUTBOX_CHANNEL, call, () => {
    if (listened) call();
    listened = true;
  });
  return unlisten;
}

async function listenPglite({ client, limiter }: PgliteConnection, call: () => void): Promise<() => Promise<void>> {
  const unlisten = await limiter.run(() => client.listen(OUTBOX_CHANNEL, call));
  return () => limiter.run(() => unlisten());
}
