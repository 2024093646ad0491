import { checkListQuery, err, ok, validationFailed, type DomainError, type ListQuery, type Product, type Result } from '../domain/index.js';
import { listProducts } from './list-products.js';
import { userProductsScope } from './product-cache.js';
import type { ProductRepo } from './ports/product-repo.js';
import type { ScopedCache } from './ports/scoped-cache.js';

export interface ListReaderOptions {
  /** Lifetime of a cached page (60 s by default); a change retires it at once anyway. */
  readonly ttlMs?: number;
}

/** How the caller shows a page: each product's text (JSON, say) and the most bytes a page may have. */
export interface PageRendering {
  readonly render: (product: Product) => string;
  readonly maxBytes: number;
}

/** One rendered page of a user's products. */
export interface RenderedPage {
  /** The products' texts, comma-separated in a JSON array. */
  readonly body: string;
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly next_cursor: string | null;
  /** The query this page answers, checked and in canonical names. */
  readonly query: ListQuery;
  /** Whether the page came from the cache. */
  readonly hit: boolean;
}

export interface ListReader {
  /** GET /products through the cache: listProducts' rules, rendered by `rendering`. */
  list(received: unknown, rendering: PageRendering): Promise<Result<RenderedPage, DomainError>>;
  /** Counters since start, for diagnostics and tests. */
  stats(): { hits: number; misses: number; loads: number };
}

/** The cache key of a page within its user's scope: the checked query's fields, sorted. */
export const listPageKey = (query: ListQuery): string =>
  Object.entries(query)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`)
    .join('&');

// A cursor is base64url text, so the first newline ends it.
const encodePage = (page: { body: string; next_cursor: string | null }) => `${page.next_cursor ?? ''}\n${page.body}`;
function decodePage(text: string): { body: string; next_cursor: string | null } {
  const split = text.indexOf('\n');
  return { next_cursor: split > 0 ? text.slice(0, split) : null, body: text.slice(split + 1) };
}

/**
 * Cache-aside list pages under the user's generation (see ScopedCache): every change to one of
 * the user's products bumps it after committing, a page is stored only at the generation read
 * before its query ran and served only at the current one, so after a write returns no instance
 * serves the earlier list. Concurrent misses of one page at one generation share one query; when
 * the cache cannot answer, each request queries on its own (a shared load might predate a write).
 */
export function createListReader(
  deps: { products: Pick<ProductRepo, 'list'>; cache: Pick<ScopedCache, 'getScoped' | 'setScoped'> },
  options: ListReaderOptions = {},
): ListReader {
  const ttlMs = options.ttlMs ?? 60 * 1000;
  const loading = new Map<string, Promise<Result<{ body: string; next_cursor: string | null }, DomainError>>>();
  const counts = { hits: 0, misses: 0, loads: 0 };

  async function load(received: unknown, rendering: PageRendering) {
    counts.loads += 1;
    const texts = new Map<Product, string>();
    const measure = (product: Product) => {
      const text = rendering.render(product);
      texts.set(product, text);
      return Buffer.byteLength(text);
    };
    const page = await listProducts(deps, received, { maxBytes: rendering.maxBytes, measure });
    if (!page.ok) return page;
    const body = `[${page.value.items.map((product) => texts.get(product) ?? rendering.render(product)).join(',')}]`;
    return ok({ body, next_cursor: page.value.next_cursor });
  }

  async function loadAndStore(received: unknown, rendering: PageRendering, scope: string, key: string, generation: number) {
    const page = await load(received, rendering);
    if (page.ok) await deps.cache.setScoped(scope, key, encodePage(page.value), generation, ttlMs);
    return page;
  }

  function coalesced(received: unknown, rendering: PageRendering, scope: string, key: string, generation: number) {
    const flight = `${scope}\n${generation}\n${key}`;
    let pending = loading.get(flight);
    if (!pending) {
      pending = loadAndStore(received, rendering, scope, key, generation).finally(() => loading.delete(flight));
      loading.set(flight, pending);
    }
    return pending;
  }

  return {
    async list(received, rendering) {
      const checked = checkListQuery(received);
      if (!checked.ok) return err(validationFailed(checked.error));
      const query = checked.value;
      const scope = userProductsScope(query.user_id);
      const key = listPageKey(query);
      const cached = await deps.cache.getScoped(scope, key);
      if (cached && cached.value !== null) {
        counts.hits += 1;
        return ok({ ...decodePage(cached.value), query, hit: true });
      }
      counts.misses += 1;
      const page = cached ? await coalesced(received, rendering, scope, key, cached.generation) : await load(received, rendering);
      return page.ok ? ok({ ...page.value, query, hit: false }) : page;
    },
    stats: () => ({ ...counts }),
  };
}
