import type { CreatedProduct, IdempotencyKey, ProductQuery, ProductRepo } from '../../application/index.js';
import {
  assembleProduct,
  err,
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

const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export interface InMemoryProductRepoOptions {
  /** Stands in for the users foreign key. */
  readonly userExists: (id: number) => boolean;
  readonly now?: () => Date;
}

/** ProductRepo in Maps: same semantics as PostgreSQL, checked by the same contract suite. */
export class InMemoryProductRepo implements ProductRepo {
  readonly #products = new Map<number, { record: ProductRecord; images: ProductImage[] }>();
  readonly #keys = new Map<string, { fingerprint: string; product: Product; at: number }>();
  readonly #now: () => Date;
  #nextProductId = 1;
  #nextImageId = 1;

  constructor(private readonly options: InMemoryProductRepoOptions) {
    this.#now = options.now ?? (() => new Date());
  }

  async create(
    input: NewProduct,
    idempotency?: IdempotencyKey,
  ): Promise<Result<CreatedProduct, 'user.not_found' | 'idempotency.key_reused'>> {
    const now = this.#now();
    if (idempotency) {
      const seen = this.#keys.get(idempotency.key);
      if (seen && now.getTime() - seen.at < IDEMPOTENCY_TTL_MS) {
        if (seen.fingerprint !== idempotency.fingerprint) return err('idempotency.key_reused');
        return ok({ product: structuredClone(seen.product), replayed: true });
      }
    }
    if (!this.options.userExists(input.user_id)) return err('user.not_found');
    const record: ProductRecord = { ...input, product_images: [...input.product_images], id: this.#nextProductId++, created_at: now, updated_at: now };
    const images = input.product_images.map((url, position) => pendingImage(this.#nextImageId++, position, url));
    this.#products.set(record.id, { record, images });
    const product = assembleProduct(record, images);
    if (idempotency) {
      this.#keys.set(idempotency.key, { fingerprint: idempotency.fingerprint, product: structuredClone(product), at: now.getTime() });
    }
    return ok({ product, replayed: false });
  }

  async findById(id: number): Promise<Product | null> {
    const row = this.#products.get(id);
    return row ? assembleProduct(row.record, row.images) : null;
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
      .map(({ record, images }) => assembleProduct(record, images));
  }

  async update(id: number, changes: ProductChanges): Promise<Product | null> {
    const row = this.#products.get(id);
    if (!row) return null;
    let images = row.images;
    if (changes.product_images) {
      const plan = planImageReplacement(row.images, changes.product_images);
      const moved = new Map(plan.keep.map((keep) => [keep.id, keep.position]));
      images = [
        ...row.images.flatMap((image) => {
          const position = moved.get(image.id);
          return position === undefined ? [] : [{ ...image, position }];
        }),
        ...plan.add.map((add) => pendingImage(this.#nextImageId++, add.position, add.source_url)),
      ];
    }
    const record: ProductRecord = {
      ...row.record,
      ...changes,
      product_images: images.map((image) => image.source_url),
      updated_at: this.#now(),
    };
    this.#products.set(id, { record, images });
    return assembleProduct(record, images);
  }

  async delete(id: number): Promise<boolean> {
    return this.#products.delete(id);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
