import type {
  CreatedProduct,
  CreateOptions,
  ProductQuery,
  ProductRepo,
  Task,
  UploadedImage,
  WriteContext,
} from '../../application/index.js';
import {
  assembleProduct,
  err,
  LIMITS,
  ok,
  pendingImage,
  planImageReplacement,
  type ImageResult,
  type ImageWork,
  type NewProduct,
  type Product,
  type ProductChanges,
  type ProductImage,
  type ProductRecord,
  type Result,
} from '../../domain/index.js';
import { InMemoryOutbox } from './in-memory-outbox.js';

const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export interface InMemoryProductRepoOptions {
  /** Stands in for the users foreign key. */
  readonly userExists: (id: number) => boolean;
  readonly now?: () => Date;
  /** Receives the messages every write queues; a private one when not given. */
  readonly outbox?: InMemoryOutbox;
}

/** An image row with the pipeline's bookkeeping, which the public image does not show. */
interface StoredImage extends ProductImage {
  readonly version: number;
  readonly source_key: string | null;
  readonly compressed_key: string | null;
}

interface Row {
  readonly record: ProductRecord;
  readonly images: readonly StoredImage[];
}

const publicImage = ({ version: _version, source_key: _source, compressed_key: _compressed, ...image }: StoredImage): ProductImage => image;
const stored = (image: ProductImage, source_key: string | null = null): StoredImage => ({ ...image, version: 1, source_key, compressed_key: null });
const processTask = (productId: number, image: StoredImage): Task => ({
  type: 'image.process',
  product_id: productId,
  image_id: image.id,
  version: image.version,
});
const deleteTasks = (removed: readonly StoredImage[]): Task[] => {
  const keys = new Set(removed.flatMap((image) => [image.compressed_key, image.source_key].filter((key) => key !== null)));
  return [...keys].map((key) => ({ type: 'object.delete', key }));
};

/**
 * ProductRepo in Maps: same semantics as PostgreSQL, checked by the same contract suite. Every
 * change and its outbox messages happen in one synchronous step, which is its transaction.
 */
export class InMemoryProductRepo implements ProductRepo {
  readonly #products = new Map<number, Row>();
  readonly #keys = new Map<string, { fingerprint: string; product: Product; at: number }>();
  // The tail of each object key's queue of addImage / completeImage / whenUnreferenced calls.
  readonly #keyLocks = new Map<string, Promise<void>>();
  readonly #now: () => Date;
  readonly #userExists: (id: number) => boolean;
  /** Where the writes queue their messages. */
  readonly outbox: InMemoryOutbox;
  #nextProductId = 1;
  #nextImageId = 1;

  constructor(options: InMemoryProductRepoOptions) {
    this.#userExists = options.userExists;
    this.#now = options.now ?? (() => new Date());
    this.outbox = options.outbox ?? new InMemoryOutbox();
  }

  async create(
    input: NewProduct,
    { idempotency, requestId }: CreateOptions = {},
  ): Promise<Result<CreatedProduct, 'user.not_found' | 'idempotency.key_reused'>> {
    const now = this.#now();
    if (idempotency) {
      const seen = this.#keys.get(idempotency.key);
      if (seen && now.getTime() - seen.at < IDEMPOTENCY_TTL_MS) {
        if (seen.fingerprint !== idempotency.fingerprint) return err('idempotency.key_reused');
        return ok({ product: structuredClone(seen.product), replayed: true });
      }
    }
    if (!this.#userExists(input.user_id)) return err('user.not_found');
    const id = this.#nextProductId++;
    const record: ProductRecord = { ...input, product_images: [...input.product_images], id, version: 1, created_at: now, updated_at: now };
    const images = input.product_images.map((url, position) => stored(pendingImage(this.#nextImageId++, position, url)));
    this.#products.set(record.id, { record, images });
    this.outbox.add(images.map((image) => processTask(record.id, image)), requestId);
    const product = this.#assemble(record, images);
    if (idempotency) {
      this.#keys.set(idempotency.key, { fingerprint: idempotency.fingerprint, product: structuredClone(product), at: now.getTime() });
    }
    return ok({ product, replayed: false });
  }

  async findById(id: number): Promise<Product | null> {
    const row = this.#products.get(id);
    return row ? this.#assemble(row.record, row.images) : null;
  }

  async list(query: ProductQuery): Promise<Product[]> {
    const needle = query.name_contains?.toLowerCase();
    return [...this.#products.values()]
      .filter(({ record }) =>
        record.user_id === query.user_id &&
        (query.price_min === undefined || record.product_price >= query.price_min) &&
        (query.price_max === undefined || record.product_price <= query.price_max) &&
        (needle === undefined || record.product_name.toLowerCase().includes(needle)) &&
        (query.after_id === undefined || record.id < query.after_id),
      )
      .sort((a, b) => b.record.id - a.record.id)
      .slice(0, query.limit)
      .map(({ record, images }) => this.#assemble(record, images));
  }

  async update(id: number, changes: ProductChanges, context: WriteContext = {}): Promise<Product | null> {
    const row = this.#products.get(id);
    if (!row) return null;
    let images = row.images;
    if (changes.product_images) {
      const plan = planImageReplacement(row.images, changes.product_images);
      const moved = new Map(plan.keep.map((keep) => [keep.id, keep.position]));
      const added = plan.add.map((add) => stored(pendingImage(this.#nextImageId++, add.position, add.source_url)));
      images = [
        ...row.images.flatMap((image) => {
          const position = moved.get(image.id);
          return position === undefined ? [] : [{ ...image, position }];
        }),
        ...added,
      ];
      const removed = row.images.filter((image) => !moved.has(image.id));
      this.outbox.add([...added.map((image) => processTask(id, image)), ...deleteTasks(removed)], context.requestId);
    }
    return this.#save(id, { ...row.record, ...changes }, images);
  }

  async delete(id: number, context: WriteContext = {}): Promise<boolean> {
    const row = this.#products.get(id);
    if (!row) return false;
    this.#products.delete(id);
    this.outbox.add(deleteTasks(row.images), context.requestId);
    return true;
  }

  /** Serialized with whenUnreferenced on the upload's key, like completeImage. */
  addImage(
    productId: number,
    upload: UploadedImage,
    context: WriteContext = {},
  ): Promise<Result<{ product: Product; image: ProductImage }, 'product.not_found' | 'product.too_many_images'>> {
    return this.#withKey(upload.source_key, async () => {
      const row = this.#products.get(productId);
      if (!row) return err('product.not_found');
      if (row.images.length >= LIMITS.imagesMax) return err('product.too_many_images');
      const image = stored(pendingImage(this.#nextImageId++, row.images.length, upload.source_url), upload.source_key);
      const product = this.#save(productId, row.record, [...row.images, image]);
      this.outbox.add([processTask(productId, image)], context.requestId);
      return ok({ product, image: publicImage(image) });
    });
  }

  async startImage(imageId: number, version: number): Promise<ImageWork | null> {
    const found = this.#unfinished(imageId, version);
    if (!found) return null;
    const image = this.#replace(found.productId, { ...found.image, status: 'processing', attempts: found.image.attempts + 1 });
    return {
      image_id: image.id,
      product_id: found.productId,
      version: image.version,
      source_url: image.source_url,
      source_key: image.source_key,
      attempts: image.attempts,
      product_version: this.#bump(found.productId),
    };
  }

  /** Like PostgreSQL: a duplicate or redelivered job changes nothing and gets null. */
  completeImage(imageId: number, version: number, result: ImageResult): Promise<number | null> {
    return this.#withKey(result.key, async () => {
      const found = this.#unfinished(imageId, version);
      if (!found) return null;
      this.#replace(found.productId, {
        ...found.image,
        status: 'done',
        compressed_url: result.url,
        compressed_key: result.key,
        width: result.width,
        height: result.height,
        bytes: result.bytes,
        format: result.format,
        error: null,
      });
      // Its compressed_product_images changed, so the product's data did: updated_at moves too.
      const row = this.#products.get(found.productId)!;
      return this.#save(found.productId, row.record, row.images).version;
    });
  }

  async recordImageFailure(imageId: number, version: number, reason: string, final: boolean): Promise<number | null> {
    const found = this.#unfinished(imageId, version);
    if (!found) return null;
    this.#replace(found.productId, { ...found.image, status: final ? 'failed' : 'pending', error: reason });
    return this.#bump(found.productId);
  }

  whenUnreferenced(key: string, action: () => Promise<void>): Promise<boolean> {
    return this.#withKey(key, async () => {
      for (const { images } of this.#products.values()) {
        if (images.some((image) => image.compressed_key === key || image.source_key === key)) return false;
      }
      await action();
      return true;
    });
  }

  async requeueUnfinishedImages(): Promise<number> {
    const requeued: { productId: number; image: StoredImage }[] = [];
    for (const [productId, row] of this.#products) {
      for (const image of row.images) {
        if (image.status === 'done' || image.status === 'failed') continue;
        requeued.push({ productId, image: this.#replace(productId, { ...image, status: 'pending', version: image.version + 1 }) });
      }
    }
    for (const productId of new Set(requeued.map((entry) => entry.productId))) this.#bump(productId);
    requeued.sort((a, b) => a.image.id - b.image.id);
    this.outbox.add(requeued.map(({ productId, image }) => processTask(productId, image)), undefined);
    return requeued.length;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  #assemble(record: Omit<ProductRecord, 'product_images'>, images: readonly StoredImage[]): Product {
    return assembleProduct(record, images.map(publicImage));
  }

  /** Stores the product with these images, the next version and a fresh updated_at; returns it. */
  #save(id: number, record: ProductRecord, images: readonly StoredImage[]): Product {
    const version = this.#products.get(id)!.record.version + 1;
    const saved: ProductRecord = { ...record, product_images: images.map((image) => image.source_url), version, updated_at: this.#now() };
    this.#products.set(id, { record: saved, images });
    return this.#assemble(saved, images);
  }

  /** The next version without a new updated_at (an image's status changed, not the product's data). */
  #bump(id: number): number {
    const row = this.#products.get(id)!;
    const version = row.record.version + 1;
    this.#products.set(id, { ...row, record: { ...row.record, version } });
    return version;
  }

  /** The image at `version` unless it is done, as the PostgreSQL guard selects it. */
  #unfinished(imageId: number, version: number): { productId: number; image: StoredImage } | null {
    for (const [productId, { images }] of this.#products) {
      const image = images.find((candidate) => candidate.id === imageId);
      if (image) return image.version === version && image.status !== 'done' ? { productId, image } : null;
    }
    return null;
  }

  /** Swaps in the new state of one image row; returns it. Callers bump the product's version. */
  #replace(productId: number, image: StoredImage): StoredImage {
    const row = this.#products.get(productId)!;
    this.#products.set(productId, { ...row, images: row.images.map((old) => (old.id === image.id ? image : old)) });
    return image;
  }

  /** Runs `work` after every earlier call for `key` settled, like the advisory lock. */
  #withKey<T>(key: string, work: () => Promise<T>): Promise<T> {
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
