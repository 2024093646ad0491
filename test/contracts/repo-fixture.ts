import type { ImageJobs, ImageRecovery, ObjectReferences, Outbox, ProductRepo, UserRepo } from '../../src/application/index.js';

/** What an adapter hands the contract suites: every port over one store, and its outbox. */
export interface RepoFixture {
  readonly products: ProductRepo;
  readonly users: UserRepo;
  readonly jobs: ImageJobs & ImageRecovery;
  readonly references: ObjectReferences;
  /** The outbox the product writes queue their messages in. */
  readonly outbox: Outbox;
  /** Makes the store behave as if `ms` had passed for idempotency records (clock or backdating). */
  elapse(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** Builds a fixture; called before each test, closed after it. */
export type MakeRepos = () => Promise<RepoFixture>;
