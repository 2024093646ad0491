import type { Cache, ObjectStore, Probe, ProductRepo, UserRepo } from './ports/index.js';
import type { ProductReader } from './product-reader.js';

/** Everything the use cases need, built by the composition root. */
export interface Deps {
  readonly products: ProductRepo;
  readonly users: UserRepo;
  /** Uploaded originals and compressed images. */
  readonly objects: ObjectStore;
  /** Product reads through the cache (one per process: it coalesces and counts). */
  readonly productReader: ProductReader;
  /** Invalidated after every committed product change. */
  readonly cache: Cache;
  readonly probes: readonly Probe[];
}
