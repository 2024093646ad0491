import { err, ok, type DomainError, type Product, type Result } from '../domain/index.js';
import { productView } from './events.js';
import { productNotFound } from './not-found.js';
import { ABSENT_VERSION, decodeProduct, encodeProduct, productCacheKey } from './product-cache.js';
import type { Cache, CacheEntry } from './ports/cache.js';
import type { ProductRepo } from './ports/product-repo.js';

export interface ProductReaderOptions {
  /** Lifetime of a cached product (10 min by default), spread by ±`jitter` so entries expire apart. */
  readonly ttlMs?: number;
  readonly jitter?: number;
  /** Lifetime of a cached "not found" (short: the id may be created any moment). */
  readonly absentTtlMs?: number;
  /** Source of randomness for the jitter (tests pin it). */
  readonly random?: () => number;
}

export interface ProductRead {
  readonly product: Product;
  /** The product as the API shows it, as JSON text. */
  readonly body: string;
  /** Whether the answer came from the cache. */
  readonly hit: boolean;
}

/** What the API answers with for a product: the view, serialized. */
export const renderProduct = (product: Product): string => JSON.stringify(productView(product));

export interface ProductReader {
  /** GET /products/:id through the cache. */
  get(id: number): Promise<Result<ProductRead, DomainError>>;
  /** Counters since start, for metrics. */
  stats(): { hits: number; misses: number; loads: number };
}

/**
 * Cache-aside reads of one product. Concurrent misses of one id in this process share a single
 * database load; entries are stored at the product's version, so a load that raced a write can
 * never put the older state back (the cache refuses versions below the writer's mark).
 */
export function createProductReader(deps: { products: Pick<ProductRepo, 'findById'>; cache: Pick<Cache, 'get' | 'set'> }, options: ProductReaderOptions = {}): ProductReader {
  const ttlMs = options.ttlMs ?? 10 * 60 * 1000;
  const jitter = options.jitter ?? 0.1;
  const absentTtlMs = options.absentTtlMs ?? 30 * 1000;
  const random = options.random ?? Math.random;
  const loading = new Map<number, Promise<Product | null>>();
  // A cache that hands back the same entry object for repeated hits (the local copies of the Redis
  // cache, the in-process cache) is decoded and rendered once per entry, not once per read. Keyed
  // weakly: an entry the cache dropped takes its rendering with it.
  const renderings = new WeakMap<CacheEntry, { product: Product | null; body: string }>();
  const rendering = (entry: CacheEntry) => {
    let known = renderings.get(entry);
    if (!known) {
      const product = decodeProduct(entry.value);
      known = { product, body: product ? renderProduct(product) : '' };
      renderings.set(entry, known);
    }
    return known;
  };
  const counts = { hits: 0, misses: 0, loads: 0 };

  async function load(id: number): Promise<Product | null> {
    counts.loads += 1;
    const product = await deps.products.findById(id);
    const lifetime = product ? Math.round(ttlMs * (1 - jitter + 2 * jitter * random())) : absentTtlMs;
    await deps.cache.set(productCacheKey(id), encodeProduct(product), product?.version ?? ABSENT_VERSION, lifetime);
    return product;
  }

  function coalesced(id: number): Promise<Product | null> {
    let pending = loading.get(id);
    if (!pending) {
      pending = load(id).finally(() => loading.delete(id));
      loading.set(id, pending);
    }
    return pending;
  }

  return {
    async get(id) {
      const cached = await deps.cache.get(productCacheKey(id));
      if (cached) {
        counts.hits += 1;
        const { product, body } = rendering(cached);
        return product ? ok({ product, body, hit: true }) : err(productNotFound(id));
      }
      counts.misses += 1;
      const product = await coalesced(id);
      return product ? ok({ product, body: renderProduct(product), hit: false }) : err(productNotFound(id));
    },
    stats: () => ({ ...counts }),
  };
}
