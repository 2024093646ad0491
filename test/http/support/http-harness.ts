import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { createHttpApp, type HttpAppOptions } from '../../../src/adapters/http/index.js';
import { DisabledCache } from '../../../src/adapters/in-process/index.js';
import { createListReader, createProductReader, type ApiDeps, type ProductRepo } from '../../../src/application/index.js';
import type { NewProduct } from '../../../src/domain/index.js';
import { sendingAdminKey } from '../../support/admin-key.js';
import { aNewProduct, aNewUser } from '../../support/mothers.js';

/** Builds the dependencies the suite runs on; `close` releases them. */
export type DepsFactory = () => Promise<{ deps: ApiDeps; close(): Promise<void> }>;

export type LogLine = Record<string, unknown> & { level: number; msg: string };

/** An id no test ever creates (bigint columns hold it; parseId accepts it). */
export const MISSING_ID = Number.MAX_SAFE_INTEGER;

/** A ProductRepo whose every call fails the way a broken database driver would. */
export const brokenProductRepo = (message: string): ProductRepo => {
  const fail = async (): Promise<never> => {
    throw new Error(message);
  };
  return {
    create: fail,
    findById: fail,
    findImage: fail,
    list: fail,
    update: fail,
    delete: fail,
    addImage: fail,
    createMany: fail,
    retryImage: fail,
  };
};

/** `deps` with a product store that fails every call, read path included (no cache to hide it). */
export const withBrokenProducts = (deps: ApiDeps, message: string): ApiDeps => {
  const products = brokenProductRepo(message);
  const cache = new DisabledCache();
  return { ...deps, products, productReader: createProductReader({ products, cache }), listReader: createListReader({ products, cache }) };
};

/**
 * The app plus the JSON lines its logger wrote; its `request()` sends the test admin key unless a
 * request says otherwise (see sendingAdminKey).
 */
export function appWith(deps: ApiDeps, options: Partial<Omit<HttpAppOptions, 'deps' | 'logger'>> = {}) {
  const logs: LogLine[] = [];
  // A Writable whose write completes synchronously, so a line is readable once the response is.
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(JSON.parse(chunk.toString()) as LogLine);
      done();
    },
  });
  const app = sendingAdminKey(createHttpApp({ deps, logger: pino({ level: 'debug' }, stream), ...options }));
  return { app, logs };
}

export const jsonInit = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** The problem body after checking the media type and the fields every problem has. */
export async function problemOf(response: Response, status: number, code: string) {
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const body = (await response.json()) as Record<string, unknown> & { errors?: { path: string; message: string }[] };
  expect(body).toMatchObject({ status, code, type: `/problems/${code}`, request_id: response.headers.get('x-request-id') });
  expect(response.status).toBe(status);
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  return body;
}

/** The URL of a list page's `Link: <…>; rel="next"`, or null on the last page. */
export const nextUrl = (response: Response): string | null => {
  const link = response.headers.get('link');
  if (link === null) return null;
  const match = /^<([^>]+)>; rel="next"$/.exec(link);
  expect(match, `Link header: ${link}`).not.toBeNull();
  return match?.[1] ?? null;
};

/** Registers the hooks of one suite run and hands out a fresh app (and log) per test. */
export function useHttp(makeDeps: DepsFactory) {
  let made: Awaited<ReturnType<DepsFactory>>;
  let current: ReturnType<typeof appWith>;
  beforeAll(async () => {
    made = await makeDeps();
  });
  afterAll(async () => {
    await made.close();
  });
  beforeEach(() => {
    current = appWith(made.deps);
  });

  const request = (path: string, init?: RequestInit) => current.app.request(path, init);
  const send = (method: string, path: string, body: unknown, headers?: Record<string, string>) =>
    request(path, jsonInit(method, body, headers));

  return {
    get deps() {
      return made.deps;
    },
    get app() {
      return current.app;
    },
    get logs() {
      return current.logs;
    },
    request,
    send,
    /** A fresh user through the API. */
    async newUser(): Promise<{ id: number; email: string }> {
      const response = await send('POST', '/users', aNewUser());
      expect(response.status).toBe(201);
      return (await response.json()) as { id: number; email: string };
    },
    /** A fresh product through the API. */
    async newProduct(userId: number, overrides: Partial<NewProduct> = {}) {
      const response = await send('POST', '/products', aNewProduct(userId, overrides));
      expect(response.status).toBe(201);
      return (await response.json()) as { id: number; user_id: number } & Record<string, unknown>;
    },
  };
}

export type Http = ReturnType<typeof useHttp>;
