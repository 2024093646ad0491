import { randomUUID } from 'node:crypto';
import type { EventStamp, Task, WriteContext } from '../../application/index.js';
import { assembleProduct, type Product, type ProductImage, type ProductRecord } from '../../domain/index.js';
import { InMemoryOutbox } from './in-memory-outbox.js';

/** An image row with the pipeline's bookkeeping, which the public image does not show. */
export interface StoredImage extends ProductImage {
  readonly version: number;
  readonly source_key: string | null;
  readonly compressed_key: string | null;
  readonly rendition_keys: readonly string[];
  readonly source_digest: string | null;
}

/** A product row and its image rows. */
export interface Row {
  readonly record: ProductRecord;
  readonly images: readonly StoredImage[];
}

/** What the fakes share: the users foreign key, the clock and the outbox their writes fill. */
export interface CatalogStoreOptions {
  /** Stands in for the users foreign key. */
  readonly userExists: (id: number) => boolean;
  readonly now?: () => Date;
  /** Receives the messages every write queues; a private one when not given. */
  readonly outbox?: InMemoryOutbox;
}

export const publicImage = ({
  version: _version,
  source_key: _source,
  compressed_key: _compressed,
  rendition_keys: _renditions,
  source_digest: _digest,
  ...image
}: StoredImage): ProductImage => image;

/**
 * The tables behind the in-memory fakes (products, image rows, idempotency keys, deletion
 * leases), shared by InMemoryProductRepo, InMemoryImageJobs and InMemoryObjectReferences the way
 * the PostgreSQL adapters share one database. Every change and its outbox messages happen in one
 * synchronous step, which is its transaction.
 */
export class CatalogStore {
  readonly products = new Map<number, Row>();
  readonly idempotencyKeys = new Map<string, { fingerprint: string; product: Product; at: number }>();
  readonly deletions = new Map<string, { token: string; expiresAt: number }>();
  readonly now: () => Date;
  readonly userExists: (id: number) => boolean;
  readonly outbox: InMemoryOutbox;
  /** Ids and times of the events the writes record. */
  readonly stamp: EventStamp;
  // The tail of each object key's queue of addImage / complete / beginDeletion calls.
  readonly #keyLocks = new Map<string, Promise<void>>();
  #nextProductId = 1;
  #nextImageId = 1;

  constructor(options: CatalogStoreOptions) {
    this.userExists = options.userExists;
    this.now = options.now ?? (() => new Date());
    this.outbox = options.outbox ?? new InMemoryOutbox();
    this.stamp = { newId: () => `evt_${randomUUID()}`, now: this.now };
  }

  nextProductId(): number {
    return this.#nextProductId++;
  }

  nextImageId(): number {
    return this.#nextImageId++;
  }

  /** Queues the tasks of one write. */
  enqueue(tasks: readonly Task[], context: WriteContext = {}): void {
    this.outbox.add(tasks, context);
  }

  assemble(record: Omit<ProductRecord, 'product_images'>, images: readonly StoredImage[]): Product {
    return assembleProduct(record, images.map(publicImage));
  }

  /** Stores the product with these images, the next version and a fresh updated_at; returns it. */
  save(id: number, record: ProductRecord, images: readonly StoredImage[]): Product {
    const version = this.products.get(id)!.record.version + 1;
    const saved: ProductRecord = { ...record, product_images: images.map((image) => image.source_url), version, updated_at: this.now() };
    this.products.set(id, { record: saved, images });
    return this.assemble(saved, images);
  }

  /** The next version without a new updated_at (an image's status changed, not the product's data). */
  bump(id: number): number {
    const row = this.products.get(id)!;
    const version = row.record.version + 1;
    this.products.set(id, { ...row, record: { ...row.record, version } });
    return version;
  }

  /** The image at `version` unless it is done, as the PostgreSQL guard selects it. */
  unfinished(imageId: number, version: number): { productId: number; image: StoredImage } | null {
    for (const [productId, { images }] of this.products) {
      const image = images.find((candidate) => candidate.id === imageId);
      if (image) return image.version === version && image.status !== 'done' ? { productId, image } : null;
    }
    return null;
  }

  /** Swaps in the new state of one image row; returns it. Callers bump the product's version. */
  replace(productId: number, image: StoredImage): StoredImage {
    const row = this.products.get(productId)!;
    this.products.set(productId, { ...row, images: row.images.map((old) => (old.id === image.id ? image : old)) });
    return image;
  }

  /** A done image other than `exceptId` whose source had this digest, as the PostgreSQL lookup finds it. */
  doneWithDigest(digest: string, exceptId: number): StoredImage | null {
    for (const { images } of this.products.values()) {
      const donor = images.find((image) => image.status === 'done' && image.source_digest === digest && image.id !== exceptId);
      if (donor) return donor;
    }
    return null;
  }

  /** Whether a deletion lease of `key` is live. */
  deletionLive(key: string): boolean {
    const lease = this.deletions.get(key);
    return lease !== undefined && lease.expiresAt > this.now().getTime();
  }

  /** Whether any image row references `key` as its compressed or source object. */
  referenced(key: string): boolean {
    for (const { images } of this.products.values()) {
      if (images.some((image) => image.compressed_key === key || image.source_key === key || image.rendition_keys.includes(key))) return true;
    }
    return false;
  }

  /** Runs `work` holding every key's lock, taken in sorted order like the advisory locks. */
  withKeys<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    const [first, ...rest] = [...new Set(keys)].sort();
    if (first === undefined) return work();
    return this.withKey(first, () => this.withKeys(rest, work));
  }

  /** Runs `work` after every earlier call for `key` settled, like the advisory lock. */
  withKey<T>(key: string, work: () => Promise<T>): Promise<T> {
    const run = (this.#keyLocks.get(key) ?? Promise.resolve()).then(work);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.#keyLocks.set(key, tail);
    void tail.then(() => {
      if (this.#keyLocks.get(key) === tail) this.#keyLocks.delete(key);
    });
    return run;
  }
}
