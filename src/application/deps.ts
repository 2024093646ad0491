import type { ObjectStore, Probe, ProductRepo, UserRepo } from './ports/index.js';

/** Everything the use cases need, built by the composition root. */
export interface Deps {
  readonly products: ProductRepo;
  readonly users: UserRepo;
  /** Uploaded originals and compressed images. */
  readonly objects: ObjectStore;
  readonly probes: readonly Probe[];
}
