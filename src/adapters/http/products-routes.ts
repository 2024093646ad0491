import {
  createProduct,
  deleteProduct,
  renderProduct,
  updateProduct,
  type ApiDeps,
} from '../../application/index.js';
import { parseId, type DomainError, type Product, type Result } from '../../domain/index.js';
import { actorOf } from './authentication.js';
import { createRouter } from './create-router.js';
import { nextLink } from './next-link.js';
import { productOperations as op } from './operations/product-operations.js';
import { pathId } from './path-id.js';
import { unwrap } from './problem.js';
import { productJson, type ProductJson } from './schemas/product-schemas.js';

export interface ProductsRoutesOptions {
  readonly deps: Pick<ApiDeps, 'products' | 'cache' | 'productReader' | 'listReader'>;
  /** Origin (and optional path prefix) for absolute Link URLs; else they are relative. */
  readonly publicBaseUrl?: string | undefined;
  /** Bytes of JSON one list page may have (products at least one); the next page holds the rest. */
  readonly listMaxBytes?: number | undefined;
}

/** 1 MiB: about 50 products at the field limits, thousands of ordinary ones. */
export const DEFAULT_LIST_MAX_BYTES = 1024 * 1024;

/** RFC 9110 If-None-Match: `*` or a list of (possibly weak) tags, compared weakly. */
function matches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((tag) => {
    const value = tag.trim();
    return value === '*' || value.replace(/^W\//, '') === etag;
  });
}

/**
 * Runs a change of the product the path names. updateProduct checks the body before it looks the
 * product up, so text that cannot be an id goes in as id 0, which no product has: a bad body is
 * still a 400 before the 404, and the 404 names the text, as pathId does.
 */
async function changeAt(text: string, change: (id: number) => Promise<Result<Product, DomainError>>): Promise<Product> {
  const id = parseId(text);
  const result = await change(id ?? 0);
  if (id === null && !result.ok && result.error.code === 'product.not_found') pathId(text, 'product');
  return unwrap(result);
}

/** The product resource: create (idempotent with a key), read, list, replace, patch, delete. */
export function productsRoutes({ deps, publicBaseUrl, listMaxBytes }: ProductsRoutesOptions) {
  return createRouter()
    .openapi(op.create, async (c) => {
      const idempotencyKey = c.req.valid('header')['idempotency-key'];
      const created = unwrap(await createProduct(deps, c.req.valid('json'), { idempotencyKey, requestId: c.var.requestId, traceparent: c.var.traceparent, actor: actorOf(c) }));
      return c.json(productJson(created.product), 201, {
        Location: `/products/${created.product.id}`,
        ...(created.replayed && { 'Idempotent-Replayed': 'true' }),
      });
    })
    .openapi(op.get, async (c) => {
      const read = unwrap(await deps.productReader.get(pathId(c.req.valid('param').id, 'product')));
      // The version changes with everything the body shows, so it identifies the representation.
      const etag = `"${read.product.id}-${read.product.version}"`;
      const headers = { ETag: etag, 'X-Cache': read.hit ? 'HIT' : 'MISS', 'Cache-Control': 'no-cache' };
      if (matches(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers);
      // Already JSON text (rendered once per cache entry): typed as the route's JSON answer it is.
      return c.body(read.body, 200, { ...headers, 'Content-Type': 'application/json' }) as unknown as ReturnType<typeof c.json<ProductJson, 200>>;
    })
    .openapi(op.list, async (c) => {
      // Each product is serialized once: to measure it against the page budget and to answer.
      const page = unwrap(await deps.listReader.list(c.req.valid('query'), { render: renderProduct, maxBytes: listMaxBytes ?? DEFAULT_LIST_MAX_BYTES }));
      const { cursor: _current, ...filters } = page.query;
      if (page.next_cursor) c.header('Link', nextLink(publicBaseUrl, 'products', filters, page.next_cursor));
      // Already JSON text: typed as the route's JSON answer it is, not serialized again.
      const headers = { 'Content-Type': 'application/json', 'X-Cache': page.hit ? 'HIT' : 'MISS', 'Cache-Control': 'no-cache' };
      return c.body(page.body, 200, headers) as unknown as ReturnType<typeof c.json<ProductJson[], 200>>;
    })
    .openapi(op.replace, async (c) => {
      const body = c.req.valid('json');
      const product = await changeAt(c.req.valid('param').id, (id) => updateProduct(deps, id, body, 'replace', { requestId: c.var.requestId, traceparent: c.var.traceparent, actor: actorOf(c) }));
      return c.json(productJson(product), 200);
    })
    .openapi(op.patch, async (c) => {
      const body = c.req.valid('json');
      const product = await changeAt(c.req.valid('param').id, (id) => updateProduct(deps, id, body, 'merge', { requestId: c.var.requestId, traceparent: c.var.traceparent, actor: actorOf(c) }));
      return c.json(productJson(product), 200);
    })
    .openapi(op.remove, async (c) => {
      unwrap(await deleteProduct(deps, pathId(c.req.valid('param').id, 'product'), { requestId: c.var.requestId, traceparent: c.var.traceparent, actor: actorOf(c) }));
      return c.body(null, 204);
    });
}
