import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** A query's result as PGlite returns it. */
export interface PgliteResult<T> {
  readonly rows: T[];
  readonly fields: { name: string; dataTypeID: number }[];
  readonly affectedRows?: number;
}

/** Query options drizzle passes: a row mode and parsers, all of which keep a type's text as is. */
export interface PgliteQueryOptions {
  readonly rowMode?: 'array' | 'object';
  readonly parsers?: Record<number, (value: string, typeId: number) => unknown>;
}

/** What runs a statement: the client itself or an open transaction. */
export interface PgliteQueryable {
  query<T>(sql: string, params?: unknown[], options?: PgliteQueryOptions): Promise<PgliteResult<T>>;
  exec(sql: string): Promise<PgliteResult<unknown>[]>;
}

/**
 * The subset of PGlite's client that drizzle and the adapters use, answered by a PGlite running on
 * its own thread: a query runs there (WebAssembly, synchronous) instead of on the event loop that
 * serves HTTP, which a fat list page would otherwise hold for tens of milliseconds.
 */
export interface PgliteClient extends PgliteQueryable {
  transaction<T>(callback: (tx: PgliteQueryable & { rollback(): Promise<void> }) => Promise<T>): Promise<T>;
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

type Request =
  | { readonly op: 'query'; readonly sql: string; readonly params: unknown[]; readonly rowMode?: 'array' | 'object'; readonly textTypes: number[] }
  | { readonly op: 'exec'; readonly sql: string }
  | { readonly op: 'listen' | 'unlisten'; readonly channel: string }
  | { readonly op: 'close' };

type Reply =
  | { readonly kind: 'opened'; readonly error?: SerializedError }
  | { readonly kind: 'result'; readonly id: number; readonly value?: unknown; readonly error?: SerializedError }
  | { readonly kind: 'notification'; readonly channel: string; readonly payload: string };

/** An error's message and own fields (SQLSTATE `code`, `constraint`, `detail`…), which cloning drops. */
type SerializedError = { readonly message: string; readonly fields: Record<string, unknown> };

// The thread's program. It is plain JavaScript evaluated by the Worker, so it runs the same under
// tsx, vitest and the compiled build; it loads PGlite from the paths the parent resolved.
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const serialize = (error) => ({
  message: error instanceof Error ? error.message : String(error),
  fields: error && typeof error === 'object'
    ? Object.fromEntries(Object.entries(error).filter(([, value]) => ['string', 'number'].includes(typeof value)))
    : {},
});
(async () => {
  let db;
  try {
    const { PGlite } = require(workerData.pglite);
    const { pg_trgm } = require(workerData.pgTrgm);
    db = await PGlite.create(workerData.dataDir, { extensions: { pg_trgm } });
    parentPort.postMessage({ kind: 'opened' });
  } catch (error) {
    parentPort.postMessage({ kind: 'opened', error: serialize(error) });
    return;
  }
  const unlisteners = new Map();
  const run = async (request) => {
    switch (request.op) {
      case 'query': {
        const keep = (value) => value;
        const parsers = Object.fromEntries(request.textTypes.map((type) => [type, keep]));
        const result = await db.query(request.sql, request.params, { rowMode: request.rowMode, parsers });
        return { rows: result.rows, fields: result.fields, affectedRows: result.affectedRows };
      }
      case 'exec':
        return (await db.exec(request.sql)).map((result) => ({ rows: result.rows, fields: result.fields, affectedRows: result.affectedRows }));
      case 'listen':
        if (!unlisteners.has(request.channel)) {
          unlisteners.set(request.channel, await db.listen(request.channel, (payload) => {
            parentPort.postMessage({ kind: 'notification', channel: request.channel, payload });
          }));
        }
        return undefined;
      case 'unlisten':
        await unlisteners.get(request.channel)?.();
        unlisteners.delete(request.channel);
        return undefined;
      case 'close':
        await db.close();
        return undefined;
    }
  };
  parentPort.on('message', async ({ id, request }) => {
    try {
      parentPort.postMessage({ kind: 'result', id, value: await run(request) });
    } catch (error) {
      parentPort.postMessage({ kind: 'result', id, error: serialize(error) });
    }
  });
})();
`;

const resolvePath = (specifier: string) => createRequire(import.meta.url).resolve(specifier);

function revive(error: SerializedError): Error {
  return Object.assign(new Error(error.message), error.fields);
}

/** One-at-a-time access: a transaction holds the only connection until it ends. */
class Mutex {
  #tail: Promise<void> = Promise.resolve();

  async hold<T>(task: () => Promise<T>): Promise<T> {
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      return await task();
    } finally {
      release();
    }
  }
}

/**
 * Opens PGlite on a worker thread (in memory when `dataDir` is undefined) and returns its client;
 * rejects with PGlite's own message when the database cannot be opened.
 */
export async function openPgliteThread(dataDir: string | undefined): Promise<PgliteClient> {
  const worker = new Worker(THREAD_SOURCE, {
    eval: true,
    workerData: { dataDir, pglite: resolvePath('@electric-sql/pglite'), pgTrgm: resolvePath('@electric-sql/pglite/contrib/pg_trgm') },
  });
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  const listeners = new Map<string, Set<(payload: string) => void>>();
  let nextId = 0;
  let failure: Error | undefined;

  const opened = new Promise<void>((resolve, reject) => {
    worker.on('message', (reply: Reply) => {
      if (reply.kind === 'opened') return reply.error ? reject(revive(reply.error)) : resolve();
      if (reply.kind === 'notification') {
        for (const listener of listeners.get(reply.channel) ?? []) listener(reply.payload);
        return;
      }
      const call = pending.get(reply.id)!;
      pending.delete(reply.id);
      // Like an idle in-process PGlite, an idle thread does not keep the process alive.
      if (pending.size === 0) worker.unref();
      if (reply.error) call.reject(revive(reply.error));
      else call.resolve(reply.value);
    });
    // An uncaught error ends the thread; either way, whatever waits on it is told why.
    let crash: Error | undefined;
    worker.on('error', (error) => (crash = error));
    worker.on('exit', (code) => {
      failure = crash ?? new Error(`The PGlite thread has stopped (exit code ${code})`);
      reject(failure);
      for (const call of pending.values()) call.reject(failure);
      pending.clear();
    });
  });
  try {
    await opened;
    worker.unref();
  } catch (error) {
    await worker.terminate();
    throw error;
  }

  const send = <T>(request: Request): Promise<T> => {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    worker.ref();
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, request });
    });
  };
  const queryable: PgliteQueryable = {
    query: <T>(sql: string, params: unknown[] = [], options: PgliteQueryOptions = {}) =>
      send<PgliteResult<T>>({ op: 'query', sql, params, rowMode: options.rowMode, textTypes: Object.keys(options.parsers ?? {}).map(Number) }),
    exec: (sql: string) => send<PgliteResult<unknown>[]>({ op: 'exec', sql }),
  };
  const mutex = new Mutex();

  return {
    query: (sql, params, options) => mutex.hold(() => queryable.query(sql, params, options)),
    exec: (sql) => mutex.hold(() => queryable.exec(sql)),
    transaction: (callback) =>
      mutex.hold(async () => {
        await queryable.exec('begin');
        let rolledBack = false;
        const tx = {
          ...queryable,
          rollback: async () => {
            rolledBack = true;
            await queryable.exec('rollback');
          },
        };
        try {
          const result = await callback(tx);
          if (!rolledBack) await queryable.exec('commit');
          return result;
        } catch (error) {
          if (!rolledBack) await queryable.exec('rollback');
          throw error;
        }
      }),
    listen: async (channel, callback) => {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(callback);
      await mutex.hold(() => send({ op: 'listen', channel }));
      return async () => {
        set.delete(callback);
        if (set.size === 0) {
          listeners.delete(channel);
          await mutex.hold(() => send({ op: 'unlisten', channel }));
        }
      };
    },
    close: async () => {
      if (!failure) await mutex.hold(() => send({ op: 'close' }));
      await worker.terminate();
    },
  };
}
