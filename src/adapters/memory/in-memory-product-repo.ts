import { imageProcessTask, objectDeleteTasks, productEventTask, type Task } from '../../application/index.js';
import type { AddedImage, BulkItem, BulkOutcome, CreatedProduct, CreateManyOptions, CreateOptions, ProductQuery, ProductRepo, UploadedImage, WriteContext } from '../../application/index.js';
import {
  err,
  LIMITS,
  ok,
  pendingImage,
  planImageReplacement,
  type NewProduct,
  type Product,
  type ProductChanges,
  type ProductImage,
  type ProductRecord,
  type Result,
} from '../../domain/index.js';
import { CatalogStore, publicImage, type CatalogStoreOptions, type StoredImage } from './catalog-store.js';

const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

const stored = (image: ProductImage, source_key: string | null = null): StoredImage => ({
  ...image,
  version: 1,
  source_key,
  compressed_key: null,
  rendition_keys: [],
  source_digest: null,
});
const taskOf = (productId: number, image: StoredImage) => imageProcessTask({ id: image.id, product_id: productId, version: image.version });

/** ProductRepo in Maps: same semantics as PostgreSQL, checked by the same contract suite. */
export class InMemoryProductRepo implements ProductRepo {
  /** The tables, shared with the InMemoryImageJobs and InMemoryObjectReferences of this catalog. */
  readonly store: CatalogStore;

  constructor(options: CatalogStoreOptions | CatalogStore) {
    this.store = options instanceof CatalogStore ? options : new CatalogStore(options);
  }

  /** Where the writes queue their messages. */
  get outbox() {
    return this.store.outbox;
  }

  async create(
    input: NewProduct,
    { idempotency, ...context }: CreateOptions = {},
  ): Promise<Result<CreatedProduct, 'user.not_found' | 'idempotency.key_reused'>> {
    const { store } = this;
    const now = store.now();
    if (idempotency) {
      const seen = store.idempotencyKeys.get(idempotency.key);
      if (seen && now.getTime() - seen.at < IDEMPOTENCY_TTL_MS) {
        if (seen.fingerprint !== idempotency.fingerprint) return err('idempotency.key_reused');
        return ok({ product: structuredClone(seen.product), replayed: true });
      }
    }
    if (!store.userExists(input.user_id)) return err('user.not_found');
    const id = store.nextProductId();
    const record: ProductRecord = { ...input, product_images: [...input.product_images], id, version: 1, created_at: now, updated_at: now };
    const images = input.product_images.map((url, position) => stored(pendingImage(store.nextImageId(), position, url)));
    store.products.set(record.id, { record, images });
    const product = store.assemble(record, images);
    store.enqueue([...images.map((image) => taskOf(record.id, image)), productEventTask(store.stamp, 'product.created', product)], context);
    if (idempotency) {
      store.idempotencyKeys.set(idempotency.key, { fingerprint: idempotency.fingerprint, product: structuredClone(product), at: now.getTime() });
    }
    return ok({ product, replayed: false });
  }

  async createMany(items: readonly BulkItem[], { atomic, ...context }: CreateManyOptions = {}): Promise<BulkOutcome[]> {
    // Checked first, written after: with no await in between this is one transaction.
    const now = this.store.now().getTime();
    const failures = items.map(({ product, idempotency }): 'user.not_found' | 'idempotency.key_reused' | null => {
      const seen = idempotency && this.store.idempotencyKeys.get(idempotency.key);
      if (!this.store.userExists(product.user_id)) return 'user.not_found';
      if (seen && now - seen.at < IDEMPOTENCY_TTL_MS && seen.fingerprint !== idempotency.fingerprint) return 'idempotency.key_reused';
      return null;
    });
    if (atomic && failures.some((failure) => failure !== null)) return failures.map((failure) => err(failure ?? 'bulk.not_created'));
    const outcomes: BulkOutcome[] = [];
    for (const [i, { product, idempotency }] of items.entries()) {
      const failure = failures[i];
      outcomes.push(failure ? err(failure) : await this.create(product, { idempotency, ...context }));
    }
    return outcomes;
  }

  async findById(id: number): Promise<Product | null> {
    const row = this.store.products.get(id);
    return row ? this.store.assemble(row.record, row.images) : null;
  }

  async findImage(imageId: number): Promise<ProductImage | null> {
    for (const { images } of this.store.products.values()) {
      const image = images.find((candidate) => candidate.id === imageId);
      if (image) return publicImage(image);
    }
    return null;
  }

  async list(query: ProductQuery): Promise<Product[]> {
    const needle = query.name_contains?.toLowerCase();
    return [...this.store.products.values()]
      .filter(({ record }) =>
        record.user_id === query.user_id &&
        (query.price_min === undefined || record.product_price >= query.price_min) &&
        (query.price_max === undefined || record.product_price <= query.price_max) &&
        (needle === undefined || record.product_name.toLowerCase().includes(needle)) &&
        (query.after_id === undefined || record.id < query.after_id),
      )
      .sort((a, b) => b.record.id - a.record.id)
      .slice(0, query.limit)
      .map(({ record, images }) => this.store.assemble(record, images));
  }

  async update(id: number, changes: ProductChanges, context: WriteContext = {}): Promise<Product | null> {
    const { store } = this;
    const row = store.products.get(id);
    if (!row) return null;
    let images = row.images;
    const tasks: Task[] = [];
    if (changes.product_images) {
      const plan = planImageReplacement(row.images, changes.product_images);
      const moved = new Map(plan.keep.map((keep) => [keep.id, keep.position]));
      const added = plan.add.map((add) => stored(pendingImage(store.nextImageId(), add.position, add.source_url)));
      images = [
        ...row.images.flatMap((image) => {
          const position = moved.get(image.id);
          return position === undefined ? [] : [{ ...image, position }];
        }),
        ...added,
      ];
      const removed = row.images.filter((image) => !moved.has(image.id));
      tasks.push(...added.map((image) => taskOf(id, image)), ...objectDeleteTasks(removed));
    }
    const product = store.save(id, { ...row.record, ...changes }, images);
    store.enqueue([...tasks, productEventTask(store.stamp, 'product.updated', product)], context);
    return product;
  }

  async delete(id: number, context: WriteContext = {}): Promise<boolean> {
    const row = this.store.products.get(id);
    if (!row) return false;
    const product = this.store.assemble(row.record, row.images);
    this.store.products.delete(id);
    this.store.enqueue([...objectDeleteTasks(row.images), productEventTask(this.store.stamp, 'product.deleted', product)], context);
    return true;
  }

  /** Serialized with beginDeletion on the upload's key, like complete. */
  addImage(
    productId: number,
    upload: UploadedImage,
    context: WriteContext = {},
  ): Promise<Result<AddedImage, 'product.not_found' | 'product.too_many_images'>> {
    const { store } = this;
    return store.withKey(upload.source_key, async () => {
      const row = store.products.get(productId);
      if (!row) return err('product.not_found');
      const same = row.images.find((image) => image.source_key === upload.source_key || image.source_url === upload.source_url);
      if (same) return ok({ product: store.assemble(row.record, row.images), image: publicImage(same), added: false });
      if (row.images.length >= LIMITS.imagesMax) return err('product.too_many_images');
      const image = stored(pendingImage(store.nextImageId(), row.images.length, upload.source_url), upload.source_key);
      const product = store.save(productId, row.record, [...row.images, image]);
      store.enqueue([taskOf(productId, image), productEventTask(store.stamp, 'product.updated', product)], context);
      return ok({ product, image: publicImage(image), added: true });
    });
  }

  async retryImage(
    productId: number,
    imageId: number,
    context: WriteContext = {},
  ): Promise<Result<{ product: Product; image: ProductImage }, 'product.not_found' | 'image.not_found' | 'image.not_failed'>> {
    const { store } = this;
    const row = store.products.get(productId);
    if (!row) return err('product.not_found');
    const found = row.images.find((image) => image.id === imageId);
    if (!found) return err('image.not_found');
    if (found.status !== 'failed') return err('image.not_failed');
    const image = store.replace(productId, { ...found, status: 'pending', error: null, version: found.version + 1 });
    store.bump(productId);
    const current = store.products.get(productId)!;
    const product = store.assemble(current.record, current.images);
    store.enqueue([taskOf(productId, image), productEventTask(store.stamp, 'product.updated', product)], context);
    return ok({ product, image: publicImage(image) });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
