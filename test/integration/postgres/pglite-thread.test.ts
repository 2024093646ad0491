import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPgliteThread, type PgliteClient } from '../../../src/adapters/postgres/pglite-thread.js';

let client: PgliteClient;

// Opening compiles PGlite's WebAssembly on the new thread, which takes seconds: one client for all.
beforeAll(async () => {
  client = await openPgliteThread(undefined);
  await client.exec('create table t (id int primary key, label text not null)');
});

beforeEach(async () => {
  await client.exec('truncate t');
});

afterAll(async () => {
  await client.close();
});

const labels = async () => (await client.query<{ label: string }>('select label from t order by id')).rows.map((row) => row.label);

describe('openPgliteThread', () => {
  it('answers queries in either row mode, keeping the text of the types given parsers for', async () => {
    const { rows, fields } = await client.query<unknown[]>(`select 1 as n, timestamptz '2026-01-02 03:04:05+00' as at`, [], {
      rowMode: 'array',
      parsers: { 1184: (value) => value },
    });
    expect(rows).toEqual([[1, '2026-01-02 03:04:05+00']]);
    expect(fields.map((field) => field.name)).toEqual(['n', 'at']);
    const parsed = await client.query<{ at: unknown }>(`select timestamptz '2026-01-02 03:04:05+00' as at`);
    expect(parsed.rows[0]?.at).toBeInstanceOf(Date);
  });

  it('returns one result per statement from exec, and binds parameters', async () => {
    const results = await client.exec(`insert into t values (1, 'a'); select count(*)::int as n from t`);
    expect(results).toHaveLength(2);
    expect(results[1]?.rows).toEqual([{ n: 1 }]);
    const inserted = await client.query('insert into t values ($1, $2)', [2, 'b']);
    expect(inserted.affectedRows).toBe(1);
    expect(await labels()).toEqual(['a', 'b']);
  });

  it("rejects with PostgreSQL's error fields, which callers read to translate the error", async () => {
    await client.query(`insert into t values (1, 'a')`);
    const error = await client.query(`insert into t values (1, 'again')`).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: '23505', constraint: 't_pkey', message: expect.stringContaining('duplicate key') });
  });

  it('commits a transaction whose callback resolves and rolls back one that throws or asks to', async () => {
    expect(await client.transaction(async (tx) => (await tx.query(`insert into t values (1, 'kept')`)).affectedRows)).toBe(1);
    await expect(
      client.transaction(async (tx) => {
        await tx.query(`insert into t values (2, 'thrown away')`);
        await tx.query(`insert into t values (1, 'duplicate')`);
      }),
    ).rejects.toMatchObject({ code: '23505' });
    const answer = await client.transaction(async (tx) => {
      await tx.exec(`insert into t values (3, 'rolled back')`);
      await tx.rollback();
      return 'rolled back';
    });
    expect(answer).toBe('rolled back');
    expect(await labels()).toEqual(['kept']);
  });

  it('holds statements from outside while a transaction is open, so none runs inside it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const transaction = client.transaction(async (tx) => {
      await tx.query(`insert into t values (1, 'tx')`);
      entered();
      await gate;
      throw new Error('abandoned');
    });
    await inside;
    const outside = client.query(`insert into t values (2, 'outside')`);
    release();
    await expect(transaction).rejects.toThrow('abandoned');
    await outside;
    // Had the outside insert run inside the transaction, the rollback would have taken it too.
    expect(await labels()).toEqual(['outside']);
  });

  it('delivers notifications to every listener of a channel until each unlistens', async () => {
    const first: string[] = [];
    const second: string[] = [];
    const stopFirst = await client.listen('news', (payload) => first.push(payload));
    const stopSecond = await client.listen('news', (payload) => second.push(payload));
    await client.query(`select pg_notify('news', 'one')`);
    await stopFirst();
    await client.query(`select pg_notify('news', 'two')`);
    await stopSecond();
    await client.query(`select pg_notify('news', 'three')`);
    // A round trip after the last notify: any notification of it would have arrived before this.
    await client.query('select 1');
    expect(first).toEqual(['one']);
    expect(second).toEqual(['one', 'two']);
  });

  it('refuses work once closed, and closes twice without complaint', async () => {
    const other = await openPgliteThread(undefined);
    await other.close();
    await expect(other.query('select 1')).rejects.toThrow('The PGlite thread has stopped');
    await expect(other.close()).resolves.toBeUndefined();
  });

  it('fails to open with the reason, and leaves no thread behind', async () => {
    await expect(openPgliteThread('/proc/self/status/not-a-directory')).rejects.toThrow(/ENOTDIR|ENOENT/);
  });
});
