/**
 * The hostile section's traffic: abuse requests sent many at once, each outcome recorded rather
 * than thrown, and the catalog the abuses need (a user's products at the field limits, one stored
 * original).
 */
import { randomFillSync } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { Agent, request, type Dispatcher } from 'undici';
import { fatProduct, multipartType } from './hostile-bodies.js';
import type { Outcome } from './hostile-report.js';
import { ADMIN_AUTHORIZATION } from '../test/support/admin-key.js';

const errorCode = (error: unknown): string => {
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) return 'aborted';
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.name : 'error';
};

/** An agent for abuse requests: a connection each, nothing timed out before `boundMs`. */
export const abuseAgent = (boundMs: number) => new Agent({ headersTimeout: boundMs, bodyTimeout: boundMs, keepAliveTimeout: 1_000 });

// Problem bodies are small; a larger one is counted, not parsed.
const PROBLEM_MAX_BYTES = 64 * 1024;

const problemCode = (body: Buffer): string | undefined => {
  try {
    const code = (JSON.parse(body.toString('utf8')) as { code?: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
};

/** One request; its answer's body is read and counted, not kept (but a problem's `code`). Never throws. */
export async function send(
  dispatcher: Dispatcher,
  url: string,
  options: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: Buffer; signal: AbortSignal },
): Promise<Outcome> {
  const started = performance.now();
  const ms = () => performance.now() - started;
  let status: number | undefined;
  let bytes = 0;
  try {
    const response = await request(url, { ...options, dispatcher });
    status = response.statusCode;
    const problem = String(response.headers['content-type']).startsWith('application/problem+json');
    const kept: Buffer[] = [];
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      bytes += chunk.byteLength;
      if (problem && bytes <= PROBLEM_MAX_BYTES) kept.push(chunk);
    }
    const code = problem && bytes <= PROBLEM_MAX_BYTES ? problemCode(Buffer.concat(kept)) : undefined;
    return { status, ...(code !== undefined && { code }), bytes, ms: ms() };
  } catch (error) {
    return { ...(status !== undefined && { status }), error: errorCode(error), bytes, ms: ms() };
  }
}

/** `count` requests at once; resolves when every one has ended (or been aborted by `boundMs`). */
export async function sendAtOnce(count: number, boundMs: number, one: (signal: AbortSignal) => Promise<Outcome>): Promise<Outcome[]> {
  const signal = AbortSignal.timeout(boundMs);
  // Every request listens on the one signal.
  setMaxListeners(count + 10, signal);
  return Promise.all(Array.from({ length: count }, () => one(signal)));
}

async function json(url: string, init: RequestInit, expected: number): Promise<Record<string, unknown>> {
  const response = await fetch(url, init);
  const body = (await response.json()) as Record<string, unknown>;
  if (response.status !== expected) throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
  return body;
}

const postJson = (url: string, body: unknown, expected = 201) =>
  json(url, { method: 'POST', headers: { 'content-type': 'application/json', ...ADMIN_AUTHORIZATION }, body: JSON.stringify(body) }, expected);

/** A new user; its id. */
export async function createUser(base: string, name: string): Promise<number> {
  const user = await postJson(`${base}/users`, { name, email: `${name.toLowerCase().replace(/\W+/g, '-')}-${Date.now()}@example.com` });
  return Number(user.id);
}

/** `count` products at the field limits for `userId`, `concurrency` at a time; their ids. */
export async function createFatProducts(base: string, userId: number, count: number, concurrency = 4): Promise<number[]> {
  const ids: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const product = await postJson(`${base}/products`, fatProduct(userId, next++));
      ids.push(Number(product.id));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ids;
}

/**
 * A valid PNG of random pixels, stored uncompressed, as large as an upload may be: the file of
 * the upload abuse and of the stored original.
 */
export async function largePng(maxBytes: number): Promise<Buffer> {
  // Three bytes a pixel plus a filter byte a row and deflate's stored-block headers (0.01 %).
  const side = Math.floor(Math.sqrt((maxBytes * 0.995) / 3));
  const raw = randomFillSync(Buffer.allocUnsafe(side * side * 3));
  const png = await sharp(raw, { raw: { width: side, height: side, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
  if (png.byteLength > maxBytes) throw new Error(`the large PNG is ${png.byteLength} bytes, over the ${maxBytes} an upload may be`);
  return png;
}

/** Uploads `body` (built by fileBody) to a new product of `userId`; the product id and the original's /files path. */
export async function storeOriginal(base: string, userId: number, body: Buffer, boundary: string): Promise<{ productId: number; path: string }> {
  const plain = { user_id: userId, product_name: 'Hostile bench original', product_description: '', product_images: [], product_price: 1 };
  const product = await postJson(`${base}/products`, plain);
  const productId = Number(product.id);
  const image = await json(
    `${base}/products/${productId}/images`,
    { method: 'POST', headers: { 'content-type': multipartType(boundary), ...ADMIN_AUTHORIZATION }, body },
    202,
  );
  // The store writes its own origin (PUBLIC_BASE_URL, else localhost and the configured port) into the URL.
  return { productId, path: new URL(String(image.source_url)).pathname };
}

/** Waits until every image of the products is done or failed: the worker idle before anything is measured. */
export async function waitForImages(base: string, productIds: readonly number[], boundMs: number): Promise<void> {
  const deadline = performance.now() + boundMs;
  let pending = [...productIds];
  while (pending.length > 0) {
    const still: number[] = [];
    for (const id of pending) {
      // The admin key: setup polling is no abuse and must not spend the address's read quota.
      const product = await json(`${base}/products/${id}`, { headers: ADMIN_AUTHORIZATION }, 200);
      const images = product.images as { status: string }[];
      if (images.some((image) => image.status === 'pending' || image.status === 'processing')) still.push(id);
    }
    pending = still;
    if (pending.length === 0) return;
    if (performance.now() > deadline) throw new Error(`images of ${pending.length} products still unsettled after ${boundMs / 1000} s`);
    await sleep(500);
  }
}

/**
 * Seconds until the first of `streak` /healthz answers in a row, 100 ms apart, each within
 * `quickMs`; null when that did not happen within `boundMs`.
 */
export async function quickAgain(base: string, boundMs: number, { quickMs = 50, streak = 5 } = {}): Promise<number | null> {
  const started = performance.now();
  let inRow = 0;
  let rowStart = started;
  while (performance.now() - started < boundMs) {
    const sent = performance.now();
    const ok = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(boundMs) }).then(
      async (response) => (await response.arrayBuffer(), response.status === 200),
      () => false,
    );
    if (ok && performance.now() - sent <= quickMs) {
      if (inRow === 0) rowStart = sent;
      inRow += 1;
    } else inRow = 0;
    if (inRow >= streak) return (rowStart - started) / 1000;
    await sleep(100);
  }
  return null;
}
