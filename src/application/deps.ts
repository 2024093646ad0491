import type { ObjectLifecycleOptions } from './object-lifecycle.js';
import type { Authenticator } from './authenticator.js';
import type {
  ApiKeys,
  Cache,
  DeadLetters,
  ImageRecovery,
  KeyCrypto,
  ObjectReferences,
  ObjectStore,
  Outbox,
  Probe,
  ProductRepo,
  ScopedCache,
  TaskConsumer,
  UserRepo,
  WebhookRepo,
} from './ports/index.js';
import type { ListReader } from './list-reader.js';
import type { EventFeed } from './event-feed.js';
import type { HandleTaskDeps } from './handle-task.js';
import type { ProductReader } from './product-reader.js';
import type { RateLimits } from './rate-limits.js';

/** What the HTTP API's use cases need, built by the composition root. */
export interface ApiDeps {
  readonly products: ProductRepo;
  readonly users: UserRepo;
  /** Issued API keys (digests only). */
  readonly apiKeys: ApiKeys;
  /** Randomness and hashing for new keys. */
  readonly crypto: KeyCrypto;
  /** Checks bearer keys (one per process: it caches lookups for under a second). */
  readonly authenticator: Authenticator;
  /** Request quotas per key and client address; no limits when absent. */
  readonly rateLimits?: RateLimits | undefined;
  /** Uploaded originals and compressed images. */
  readonly objects: ObjectStore;
  /** Guards uploaded originals against a concurrent cleanup of the same bytes. */
  readonly references: ObjectReferences;
  /** Product reads through the cache (one per process: it coalesces and counts). */
  readonly productReader: ProductReader;
  /** Invalidated after every committed product change (the product's entry and its user's list pages). */
  readonly cache: Cache & ScopedCache;
  /** List pages through the cache (one per process: it coalesces). */
  readonly listReader: ListReader;
  /** Registered webhook endpoints and their recent attempts. */
  readonly webhooks: WebhookRepo;
  /** The live events GET /events streams; the route is absent without it. */
  readonly eventFeed?: EventFeed | undefined;
  /** The task queue's dead letters, for GET /dead-letters and their replay (admin keys). */
  readonly deadLetters: DeadLetters;
  readonly probes: readonly Probe[];
  readonly lifecycle?: ObjectLifecycleOptions;
}

/** What the image worker and the outbox relay that feeds it need. */
export interface WorkerDeps extends HandleTaskDeps {
  readonly outbox: Outbox;
  readonly consumer: TaskConsumer;
  /** Set when the queue's jobs die with the process (the embedded queue): unfinished images are queued again at start. */
  readonly recovery?: ImageRecovery | undefined;
}
