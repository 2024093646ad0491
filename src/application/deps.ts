import type { Probe, ProductRepo, UserRepo } from './ports/index.js';

/** Everything the use cases need, built by the composition root. */
export interface Deps {
  readonly products: ProductRepo;
  readonly users: UserRepo;
  readonly probes: readonly Probe[];
}
