import fc from 'fast-check';
import type { Operation, Parameter } from './document.js';
import { anyJson, anyText, hostileObject, validValue, wrongValue, type Schema } from './values.js';

/** What the service already holds, so that requests also reach existing resources. */
export interface Pool {
  readonly userIds: number[];
  readonly productIds: number[];
  /** Ids of images of the pool's products (`images[].id`), for /images/{imageId}. */
  readonly imageIds: number[];
  /** Webhook endpoints the service registered (`wh_` and 24 hex digits). */
  readonly webhookIds: string[];
  /** Keys under /files, as the service handed them out (`originals/<sha256>.png`). */
  readonly fileKeys: string[];
  /**
   * Cursors the service issued in Link headers, by list path (`/products`, `/webhooks`): the only
   * valid ones, since a cursor is opaque and one list's is not another's.
   */
  readonly cursors: Readonly<Record<string, string[]>>;
  /** Keys the service accepts: the admin key, and user keys with their users. */
  readonly keys: { admin: string; users: { userId: number; key: string; keyId: string }[] };
  /** Keys that were revoked, and ids of keys (for the key routes). */
  readonly revokedKeys: string[];
  /** Small real images, and files that only claim to be images. */
  readonly uploads: { name: string; type: string; bytes: Uint8Array; image: boolean }[];
}

/** One generated request. `valid` when every part of it keeps to what the document states. */
export interface FuzzRequest {
  readonly method: string;
  /** Path and query exactly as sent. */
  readonly target: string;
  readonly headers: Record<string, string>;
  readonly body?: string | Uint8Array;
  readonly valid: boolean;
}

type Part<T> = { value: T; valid: boolean };
const ok = <T>(value: T): Part<T> => ({ value, valid: true });
const bad = <T>(value: T): Part<T> => ({ value, valid: false });
const pick = <T>(list: readonly T[], index: number): T | undefined => (list.length ? list[index % list.length] : undefined);

/** Segments a router or an id parser may trip on. */
const HOSTILE_SEGMENTS = [
  '0', '-1', '+1', '01', '1.0', '1e3', '0x10', ' 1', '1 ', '١٢', '９', '9'.repeat(30), String(2 ** 53), String(2 ** 64),
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '..%2f..%2fpackage.json', '%00', '%', '%zz', '%ff', '%c0%ae',
  'a'.repeat(300), `${'a'.repeat(300)}.jpg`, 'originals', 'originals%2F', 'images%2F..%2F..%2Fx', '~', '%20', 'null', 'undefined',
] as const;

/**
 * A path segment as sent: percent-encoded text of any kind, or a raw form above. Never empty,
 * `.` or `..` (or `%2e`): a client resolves those, so the request would go to another path.
 */
const hostileSegment: fc.Arbitrary<string> = fc
  .oneof(fc.constantFrom(...HOSTILE_SEGMENTS), anyText(60).map((text) => encodeURIComponent(text.replace(/[\ud800-\udfff]/gu, '?'))))
  .filter((segment) => !/^(\.|%2e){0,2}$/i.test(segment));

/** Text a header may carry: visible ASCII, occasionally Latin-1, never a control character. */
const headerText = (maxLength: number) =>
  fc.string({ unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xff })).map((code) => String.fromCharCode(code)), maxLength });

type Mode = 'valid' | 'hostile';

/**
 * The Authorization header: mostly the admin key, else a user's key (which may lack the right: 403),
 * none, a revoked key, or malformed ones (401). Each is within the document, which declares 401/403.
 */
function authorization(operation: Operation, pool: Pool): fc.Arbitrary<string | undefined> {
  if (operation.auth === 'none') return fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant(`Bearer ${pool.keys.admin}`) });
  return fc.oneof(
    { weight: 8, arbitrary: fc.constant(`Bearer ${pool.keys.admin}`) },
    { weight: 3, arbitrary: fc.nat().map((index) => `Bearer ${pick(pool.keys.users, index)?.key ?? 'none'}`) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.nat().map((index) => `Bearer ${pick(pool.revokedKeys, index) ?? 'pc_live_0000000000000000_x'}`) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.constantFrom('Bearer', 'Bearer ', 'Basic YWRtaW46YWRtaW4=', 'bearer  x', `Bearer ${pool.keys.admin}x`, 'Bearer pc_live_', 'Bearer pc_live_zz_zz', `Token ${pool.keys.admin}`),
        headerText(200).map((text) => `Bearer ${text}`),
      ),
    },
  );
}

/** In valid mode only `valid`; in hostile mode mostly `valid`, now and then `hostile`. */
const part = <T>(mode: Mode, valid: fc.Arbitrary<T>, hostile: fc.Arbitrary<T>): fc.Arbitrary<Part<T>> =>
  mode === 'valid' ? valid.map(ok) : fc.oneof({ weight: 3, arbitrary: valid.map(ok) }, { weight: 1, arbitrary: hostile.map(bad) });

function pathValue(parameter: Parameter, pool: Pool, ids: readonly number[], mode: Mode): fc.Arbitrary<Part<string>> {
  if (parameter.name === 'key') {
    const known = fc.nat().map((index) => pick(pool.fileKeys, index) ?? 'originals/none.png');
    const valid = fc.oneof(known, known.map(encodeURIComponent), fc.stringMatching(/^[0-9a-f]{64}$/).map((hash) => `images/${hash}.webp`));
    return part(mode, valid, fc.array(hostileSegment, { minLength: 1, maxLength: 4 }).map((segments) => segments.join('/')));
  }
  const valid = fc.oneof(
    { weight: 4, arbitrary: fc.nat().map((index) => String(pick(ids, index) ?? 1)) },
    { weight: 1, arbitrary: validValue(parameter.schema).map(String) },
  );
  return part(mode, valid, hostileSegment);
}

/** A webhook id: one the pool holds, one made up, or any segment. */
const webhookIdValue = (webhookIds: readonly string[], mode: Mode): fc.Arbitrary<Part<string>> =>
  part(mode, fc.oneof(fc.nat().map((index) => pick(webhookIds, index) ?? 'wh_000000000000000000000000'), fc.stringMatching(/^wh_[0-9a-f]{24}$/)), hostileSegment);

/** A key id: one the pool holds, one made up, or any segment. */
const keyIdValue = (keyIds: readonly string[], mode: Mode): fc.Arbitrary<Part<string>> =>
  part(mode, fc.oneof(fc.nat().map((index) => pick(keyIds, index) ?? '0000000000000000'), fc.stringMatching(/^[0-9a-f]{16}$/)), hostileSegment);

/** A query value as text, before encoding. */
function queryValue(parameter: Parameter, pool: Pool, cursors: readonly string[], mode: Mode): fc.Arbitrary<Part<string>> {
  if (parameter.name === 'cursor') return part(mode, fc.nat().map((index) => pick(cursors, index) ?? ''), anyText(80));
  const valid =
    parameter.name === 'user_id'
      ? fc.oneof({ weight: 4, arbitrary: fc.nat().map((index) => String(pick(pool.userIds, index) ?? 1)) }, { weight: 1, arbitrary: validValue(parameter.schema).map(String) })
      : validValue(parameter.schema).map(String);
  return part(mode, valid, wrongValue(parameter.schema).map((value) => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''))));
}

const encode = (text: string) => encodeURIComponent(text.replace(/[\ud800-\udfff]/gu, '\ufffd'));
const pair = (name: string, value: string) => `${name}=${encode(value)}`;

function queryString(parameters: readonly Parameter[], pool: Pool, cursors: readonly string[], mode: Mode): fc.Arbitrary<Part<string>> {
  const entries = parameters.map((parameter) => {
    const given = queryValue(parameter, pool, cursors, mode).map(({ value, valid }) => ({ value: [pair(parameter.name, value)], valid }));
    const present = parameter.required ? given : fc.oneof(fc.constant(ok<string[]>([])), given);
    if (mode === 'valid') return present;
    const twice = fc.tuple(queryValue(parameter, pool, cursors, mode), queryValue(parameter, pool, cursors, mode)).map(([a, b]) => bad([pair(parameter.name, a.value), pair(parameter.name, b.value)]));
    const missing = fc.constant(parameter.required ? bad<string[]>([]) : ok<string[]>([]));
    return fc.oneof({ weight: 6, arbitrary: present }, { weight: 1, arbitrary: twice }, { weight: 1, arbitrary: missing });
  });
  const unknown = fc.array(fc.tuple(anyText(20), anyText(20)).map(([name, value]) => `${encode(name)}=${encode(value)}`), { minLength: 1, maxLength: 3 });
  const extra = part(
    mode,
    fc.oneof({ weight: 6, arbitrary: fc.constant<string[]>([]) }, { weight: 1, arbitrary: unknown }),
    fc.constantFrom('%', '&&&', '=x', 'user_id[]=1', 'user_id=%00', 'limit=1&limit=2', 'a=%zz', '__proto__=1').map((raw) => [raw]),
  );
  return fc.tuple(fc.tuple(...entries), extra).map(([parts, more]) => {
    const all = [...parts, more];
    const pairs = all.flatMap((entry) => entry.value);
    return { value: pairs.length ? `?${pairs.join('&')}` : '', valid: all.every((entry) => entry.valid) };
  });
}

function headerValue(parameter: Parameter, mode: Mode): fc.Arbitrary<Part<string | undefined>> {
  const name = parameter.name.toLowerCase();
  // X-Request-Id outside its pattern is ignored, so any text is valid there.
  const text =
    name === 'idempotency-key' ? fc.stringMatching(/^[\x21-\x7e]{1,255}$/)
    : name === 'x-request-id' ? fc.oneof(fc.stringMatching(/^[A-Za-z0-9._:-]{1,128}$/), headerText(300))
    : headerText(300);
  const valid = fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: text });
  return name === 'idempotency-key' ? part(mode, valid, fc.oneof(headerText(300), fc.constant('k'.repeat(256)))) : valid.map(ok);
}

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'Application/JSON'] as const;
const OTHER_TYPES = ['text/plain', 'application/json; charset=latin1', 'application/merge-patch+json', 'application/x-www-form-urlencoded', 'multipart/form-data', 'application/xml', '', ';;', 'application/json; charset='] as const;

/** Bytes that are not quite JSON: truncated, padded, BOM-prefixed, duplicated keys, oversized. */
const rawJsonText = (schema: Schema) =>
  fc.oneof(
    validValue(schema).map((value) => JSON.stringify(value).slice(0, -1)),
    validValue(schema).map((value) => `\ufeff${JSON.stringify(value)}`),
    validValue(schema).map((value) => `${JSON.stringify(value)} trailing`),
    fc.constantFrom('', ' ', 'null', '{', '}', '[]', '{"a":}', '{"user_id":1,"user_id":"x"}', '\u0000', '"\\ud800"', '{"__proto__":{"polluted":1}}', '1e999999'),
    fc.integer({ min: 1024 * 1024 + 1, max: 1024 * 1024 + 4096 }).map((size) => `{"product_name":"${'x'.repeat(size)}"}`),
  );

function jsonBody(schema: Schema, pool: Pool, mode: Mode): fc.Arbitrary<Part<{ type: string | undefined; data: string }>> {
  const owned = (value: unknown) =>
    fc.nat().map((index) =>
      value && typeof value === 'object' && 'user_id' in value && pool.userIds.length ? { ...value, user_id: pick(pool.userIds, index) } : value,
    );
  const hostile = fc.oneof(
    { weight: 4, arbitrary: hostileObject(schema).map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: anyJson.map((value) => JSON.stringify(value) ?? 'null') },
    { weight: 1, arbitrary: rawJsonText(schema) },
  );
  const payload = part(mode, validValue(schema).chain(owned).map((value) => JSON.stringify(value)), hostile);
  const type = part<string | undefined>(mode, fc.constantFrom(...JSON_TYPES), fc.constantFrom<string | undefined>(...OTHER_TYPES, undefined));
  return fc.tuple(payload, type).map(([text, contentType]) => ({ value: { type: contentType.value, data: text.value }, valid: text.valid && contentType.valid }));
}

type FormPart = { name: string; filename?: string; type?: string; bytes: Uint8Array };

function multipart(boundary: string, parts: readonly FormPart[], cutAt?: number): Uint8Array {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const filename = part.filename === undefined ? '' : `; filename="${part.filename}"`;
    const type = part.type === undefined ? '' : `\r\nContent-Type: ${part.type}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${filename}${type}\r\n\r\n`, 'utf8'), Buffer.from(part.bytes), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  const body = Buffer.concat(chunks);
  return cutAt === undefined ? body : body.subarray(0, Math.floor(body.length * cutAt));
}

function multipartBody(pool: Pool, mode: Mode): fc.Arbitrary<Part<{ type: string | undefined; data: Uint8Array }>> {
  const filename = fc.oneof(
    fc.constantFrom('photo.png', 'a.jpg', '../../etc/passwd', 'x'.repeat(300), 'ü.webp', 'a"b.png'),
    anyText(30).map((text) => text.replace(/["\r\n\ud800-\udfff]/gu, '_') || 'f'),
  );
  // A quote, backslash or control character in a filename breaks the part's header: hostile only.
  // So does one past the part-header limit (16 KiB): plain names are at most 255 characters.
  const plainName = filename.filter((name) => !/["\\\x00-\x1f\x7f]/.test(name) && name.length <= 255);
  const fileOf = (images: boolean, names = filename) =>
    fc.tuple(fc.nat(), names).map(([index, name]) => {
      const chosen = pick(pool.uploads.filter((upload) => upload.image === images), index)!;
      return { name: 'file', filename: name, type: chosen.type, bytes: chosen.bytes };
    });
  const boundary = fc.stringMatching(/^[A-Za-z0-9'()+_,./:=?-]{1,40}$/);
  // Quoted: `:`, `/`, `?`, `=`, `(`, `)` and `,` may be in a boundary but not in a bare header token.
  const valid = fc.tuple(boundary, fileOf(true, plainName)).map(([b, file]) => ({ type: `multipart/form-data; boundary="${b}"`, data: multipart(b, [file]) }));
  const field = fc.tuple(fc.constantFrom('note', 'file', 'files[]', 'product_name', ''), fc.uint8Array({ maxLength: 64 })).map(([name, bytes]) => ({ name, bytes }));
  const header = (b: string) => fc.constantFrom(`multipart/form-data; boundary=${b}`, `multipart/form-data; boundary="${b}"`, 'multipart/form-data; boundary=other', 'multipart/form-data');
  const hostile = fc.oneof(
    // A file that only claims to be an image.
    fc.tuple(boundary, fileOf(false)).map(([b, file]) => ({ type: `multipart/form-data; boundary=${b}`, data: multipart(b, [file]) })),
    // Parts missing, doubled, extra; a body cut off inside a part; a boundary that does not match.
    fc
      .tuple(boundary, fc.array(fc.oneof(fileOf(true), fileOf(false), field), { maxLength: 14 }), fc.option(fc.double({ min: 0, max: 0.99, noNaN: true }), { nil: undefined }))
      .chain(([b, parts, cutAt]) => header(b).map((type) => ({ type, data: multipart(b, parts, cutAt) }))),
    fc.tuple(fc.uint8Array({ maxLength: 512 }), fc.constantFrom('image/png', 'application/octet-stream', 'multipart/mixed; boundary=x', undefined)).map(([data, type]) => ({ type, data })),
  );
  return part(mode, valid, hostile);
}

/**
 * An NDJSON body (POST /products/bulk): products of the pool's users, one a line, and lines that
 * are anything at all (text, broken JSON, blank). Every line is an item answered on its own.
 */
function ndjsonBody(pool: Pool, mode: Mode): fc.Arbitrary<Part<{ type: string | undefined; data: string }>> {
  const product = fc.record({
    user_id: fc.nat().map((index) => pick(pool.userIds, index) ?? 1),
    product_name: anyText(40),
    product_description: anyText(80),
    product_images: fc.constant([] as string[]),
    product_price: fc.integer({ min: 1, max: 100_000 }).map((cents) => cents / 100),
  });
  const line = fc.oneof(product.map((value) => JSON.stringify(value)), anyJson.map((value) => JSON.stringify(value)));
  const valid = fc.array(line, { maxLength: 12 }).map((lines) => ({ type: 'application/x-ndjson', data: lines.join('\n') }));
  const hostile = fc
    .array(fc.oneof(line, anyText(200), fc.constant('{"user_id":'), fc.constant('')), { maxLength: 12 })
    .map((lines) => ({ type: 'application/x-ndjson', data: lines.join(fc.sample(fc.constantFrom('\n', '\r\n'), 1)[0]!) }));
  return part(mode, valid, hostile);
}

/**
 * Rules between parameters that the document can state only in prose (each parameter's
 * description says it): a request that breaks one is not within the document's rules.
 */
const PROSE_RULES: Record<string, (query: URLSearchParams) => boolean> = {
  listProducts: (query) => {
    const low = query.get('price_min') ?? query.get('min_price');
    const high = query.get('price_max') ?? query.get('max_price');
    const bothSpellings = (query.has('price_min') && query.has('min_price')) || (query.has('price_max') && query.has('max_price'));
    return !bothSpellings && (low === null || high === null || Number(low) <= Number(high));
  },
};

/** Node answers a request line and headers past 16 KiB with a bare 431 before the app sees it (README, Limits). */
const MAX_TARGET_LENGTH = 8 * 1024;

/** Requests for one operation, in one mode. */
function requestsIn(operation: Operation, pool: Pool, mode: Mode): fc.Arbitrary<FuzzRequest> {
  const inPath = operation.parameters.filter((parameter) => parameter.in === 'path');
  const inQuery = operation.parameters.filter((parameter) => parameter.in === 'query');
  const inHeader = operation.parameters.filter((parameter) => parameter.in === 'header');
  const json = operation.body?.content['application/json']?.schema;
  const form = operation.body?.content['multipart/form-data'];
  const ndjson = operation.body?.content['application/x-ndjson'];
  const ids = operation.path.startsWith('/users') ? pool.userIds : operation.path.startsWith('/images') ? pool.imageIds : pool.productIds;
  const keyIds = pool.keys.users.map((entry) => entry.keyId);
  const keyRoute = inPath.length === 2 && inPath[1]!.name === 'keyId';
  const body: fc.Arbitrary<Part<{ type: string | undefined; data: string | Uint8Array } | undefined>> = json
    ? ndjson
      ? fc.oneof(jsonBody(json, pool, mode), ndjsonBody(pool, mode))
      : jsonBody(json, pool, mode)
    : form
      ? multipartBody(pool, mode)
      : fc.constant(ok(undefined));
  return fc
    .record({
      path: keyRoute
        ? fc.oneof(
            // A key of the pool with its own user, or any pair.
            fc.nat().map((index) => pick(pool.keys.users, index)).map((entry) => [ok(String(entry?.userId ?? 1)), ok(entry?.keyId ?? '0000000000000000')]),
            fc.tuple(pathValue(inPath[0]!, pool, ids, mode), keyIdValue(keyIds, mode)),
          )
        : operation.path.startsWith('/webhooks/')
          ? fc.tuple(webhookIdValue(pool.webhookIds, mode))
          : fc.tuple(...inPath.map((parameter) => pathValue(parameter, pool, ids, mode))),
      authorization: authorization(operation, pool),
      query: queryString(inQuery, pool, pool.cursors[operation.path] ?? [], mode),
      headers: fc.tuple(...inHeader.map((parameter) => headerValue(parameter, mode))),
      body,
    })
    .map(({ path, query, headers, authorization: auth, body: content }) => {
      let target = operation.path;
      inPath.forEach((parameter, index) => (target = target.replace(`{${parameter.name}}`, path[index]!.value)));
      const sent: Record<string, string> = {};
      inHeader.forEach((parameter, index) => {
        const value = headers[index]!.value;
        if (value !== undefined) sent[parameter.name] = value;
      });
      if (content.value?.type !== undefined) sent['content-type'] = content.value.type;
      if (auth !== undefined) sent.authorization = auth;
      const parts = [...path, query, ...headers, content];
      return {
        method: operation.method,
        target: target + query.value,
        headers: sent,
        ...(content.value && { body: content.value.data }),
        valid: parts.every((entry) => entry.valid) && (PROSE_RULES[operation.id]?.(new URLSearchParams(query.value)) ?? true),
      };
    })
    .filter((request) => request.target.length <= MAX_TARGET_LENGTH);
}

/**
 * Requests for one operation: valid ones, and hostile ones with wrong types, missing and extra
 * fields, odd text, NUL, huge numbers, random ids and query strings.
 */
export const requestsFor = (operation: Operation, pool: Pool): fc.Arbitrary<FuzzRequest> =>
  fc.oneof({ weight: 2, arbitrary: requestsIn(operation, pool, 'valid') }, { weight: 3, arbitrary: requestsIn(operation, pool, 'hostile') });
