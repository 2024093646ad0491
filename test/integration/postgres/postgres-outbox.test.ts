import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../../src/application/index.js';
import {
  connectPglite,
  connectPostgres,
  PostgresOutbox,
  runMigrations,
  type Connection,
  type Database,
  type PgliteConnection,
  type PostgresConnection,
} from '../../../src/adapters/postgres/index.js';
import { enqueue } from '../../../src/adapters/postgres/outbox-tasks.js';
import { outboxContract, type OutboxFixture } from '../../contracts/outbox.contract.js';
import { drain } from '../../contracts/given.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.js';
import { eventually } from '../../support/eventually.js';

let database: TestDatabase;
let postgres: PostgresConnection;
let pglite: PgliteConnection;

beforeAll(async () => {
  database = await createTestDatabase();
  postgres = await connectPostgres({ url: database.url, max: 4 });
  pglite = await connectPglite();
  await runMigrations(pglite);
});

afterAll(async () => {
  await Promise.all([postgres?.close(), pglite?.close()]);
  await database?.drop();
});

class RolledBack extends Error {}

/** Writes through the adapter's own enqueue, as the repository's transactions do. */
const fixture = (connection: Connection): OutboxFixture => ({
  outbox: new PostgresOutbox(connection),
  write: (tasks, context) => connection.db.transaction((tx) => enqueue(tx, tasks, context)),
  failedWrite: async (tasks) => {
    await connection.db
      .transaction(async (tx) => {
        await enqueue(tx, tasks, { requestId: 'doomed' });
        throw new RolledBack();
      })
      .catch((error: unknown) => {
        if (!(error instanceof RolledBack)) throw error;
      });
  },
  read: () => connection.limiter.run(() => (connection.db as Database).execute(sql`select 1`)),
  close: async () => undefined,
});

outboxContract('PostgreSQL', async () => fixture(postgres));
outboxContract('PGlite', async () => fixture(pglite));

const task = (key: string): Task => ({ type: 'object.delete', key });

describe('PostgresOutbox on PostgreSQL', () => {
  it('listens again after its LISTEN connection was cut, and calls the listener then', async () => {
    const outbox = new PostgresOutbox(postgres);
    await drain(outbox);
    let calls = 0;
    const unsubscribe = await outbox.onAdded(() => {
      calls += 1;
    });
    try {
      expect(calls).toBe(0);
      await postgres.client`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen%'`;
      await eventually(() => expect(calls).toBe(1), { timeout: 10_000 });
      await postgres.db.transaction((tx) => enqueue(tx, [task('after-reconnect')], undefined));
      await eventually(() => expect(calls).toBe(2), { timeout: 10_000 });
    } finally {
      await unsubscribe();
    }
    expect(await drain(outbox)).toHaveLength(1);
  });

  it('holds the claimed rows in its transaction: another relay sees none of them meanwhile', async () => {
    const outbox = new PostgresOutbox(postgres);
    await drain(outbox);
    await postgres.db.transaction((tx) => enqueue(tx, [task('held/0'), task('held/1')], undefined));
    let during: number | undefined;
    const sent = await outbox.relay(10, async () => {
      during = await outbox.relay(10, async () => undefined);
    });
    expect([sent, during]).toEqual([2, 0]);
    const [row] = await postgres.client`select count(*)::int as n from outbox`;
    expect(row?.n).toBe(0);
  });

  it('stores tasks as JSON objects with the request id beside them, and the traceparent inside', async () => {
    const outbox = new PostgresOutbox(postgres);
    await drain(outbox);
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await postgres.db.transaction((tx) => enqueue(tx, [task('stored')], { requestId: 'req-stored', traceparent }));
    const [row] = await postgres.client`select task->>'type' as type, task->>'key' as key, task->>'traceparent' as traceparent, request_id from outbox`;
    expect(row).toEqual({ type: 'object.delete', key: 'stored', traceparent, request_id: 'req-stored' });
    await drain(outbox);
  });
});

describe.each([
  ['PostgreSQL', () => postgres],
  ['PGlite', () => pglite],
] as const)('PostgresOutbox metrics on %s', (_name, connection) => {
  it('reports the backlog and the oldest row\'s age on the database clock, both 0 once drained', async () => {
    const outbox = new PostgresOutbox(connection());
    await drain(outbox);
    const figures = async () => Object.fromEntries((await outbox.metrics()).map((sample) => [sample.name, sample.value]));
    expect(await figures()).toEqual({ outbox_backlog_rows: 0, outbox_oldest_age_seconds: 0 });
    await connection().db.transaction((tx) => enqueue(tx, [task('backlog/0'), task('backlog/1')], undefined));
    // Aged by the database's own clock: a row two minutes old reads as such.
    await connection().limiter.run(() =>
      (connection().db as Database).execute(sql`update outbox set created_at = now() - interval '120 seconds' where task->>'key' = 'backlog/0'`),
    );
    const backlog = await figures();
    expect(backlog.outbox_backlog_rows).toBe(2);
    expect(backlog.outbox_oldest_age_seconds).toBeGreaterThanOrEqual(120);
    expect(backlog.outbox_oldest_age_seconds).toBeLessThan(180);
    expect((await outbox.metrics()).map(({ type }) => type)).toEqual(['gauge', 'gauge']);
    await drain(outbox);
    expect(await figures()).toEqual({ outbox_backlog_rows: 0, outbox_oldest_age_seconds: 0 });
  });
});

describe('PostgresOutbox on PGlite', () => {
  it('frees the only connection while publishing, so publish may use the database', async () => {
    const outbox = new PostgresOutbox(pglite);
    await drain(outbox);
    await pglite.db.transaction((tx) => enqueue(tx, [task('free/0')], undefined));
    let counted: unknown;
    const sent = await outbox.relay(10, async () => {
      counted = await pglite.limiter.run(() => pglite.client.query<{ n: number }>('select count(*)::int as n from outbox'));
    });
    expect(sent).toBe(1);
    // The row is deleted only after publish resolved.
    expect(counted).toMatchObject({ rows: [{ n: 1 }] });
    expect(await drain(outbox)).toEqual([]);
  });

  it('lets a relay in progress keep its rows from a second relay of another instance', async () => {
    const first = new PostgresOutbox(pglite);
    const second = new PostgresOutbox(pglite);
    await pglite.db.transaction((tx) => enqueue(tx, [task('claimed/0'), task('claimed/1')], undefined));
    let during: number | undefined;
    expect(
      await first.relay(10, async () => {
        during = await second.relay(10, async () => undefined);
      }),
    ).toBe(2);
    expect(during).toBe(0);
  });

  it('keeps the rows, and frees their claim, when deleting them after publish fails', async () => {
    const outbox = new PostgresOutbox(pglite);
    await drain(outbox);
    await pglite.db.transaction((tx) => enqueue(tx, [task('undeleted')], undefined));
    const moveTable = async (from: string, to: string) => {
      await pglite.limiter.run(() => pglite.client.exec(`alter table ${from} rename to ${to}`));
    };
    // Published, but the table is gone when the relay comes to delete the row.
    await expect(outbox.relay(10, () => moveTable('outbox', 'outbox_away'))).rejects.toThrow(/outbox/);
    await moveTable('outbox_away', 'outbox');
    expect((await drain(outbox)).map((message) => message.task)).toEqual([task('undeleted')]);
  });
});
