import { imageEventTasks, imageProcessTask, objectDeleteTasks, type ImageJobs, type ImageRecovery, type ReuseOutcome } from '../../application/index.js';
import { finishedImage, type ImageResult, type ImageWork } from '../../domain/index.js';
import type { CatalogStore, StoredImage } from './catalog-store.js';

/** ImageJobs and ImageRecovery over the fakes' tables, with PostgreSQL's guards. */
export class InMemoryImageJobs implements ImageJobs, ImageRecovery {
  constructor(private readonly store: CatalogStore) {}

  async start(imageId: number, version: number): Promise<ImageWork | null> {
    const found = this.store.unfinished(imageId, version);
    if (!found) return null;
    const image = this.store.replace(found.productId, { ...found.image, status: 'processing', attempts: found.image.attempts + 1 });
    return {
      image_id: image.id,
      product_id: found.productId,
      user_id: this.store.products.get(found.productId)!.record.user_id,
      version: image.version,
      source_url: image.source_url,
      source_key: image.source_key,
      attempts: image.attempts,
      product_version: this.store.bump(found.productId),
    };
  }

  /** Like PostgreSQL: a duplicate or redelivered job changes nothing and gets null. */
  complete(imageId: number, version: number, result: ImageResult): Promise<number | null> {
    const { store } = this;
    return store.withKeys([result.key, ...result.renditions.map((rendition) => rendition.key)], async () => {
      const found = store.unfinished(imageId, version);
      if (!found) return null;
      store.replace(found.productId, { ...found.image, ...finishedImage(result) });
      // Its compressed_product_images changed, so the product's data did: updated_at moves too.
      const row = store.products.get(found.productId)!;
      const product = store.save(found.productId, row.record, row.images);
      store.enqueue(imageEventTasks(store.stamp, 'image.done', product, imageId));
      return product.version;
    });
  }

  /** Like PostgreSQL: the donor is looked up, its keys locked, then it is checked again under them. */
  async reuse(imageId: number, version: number, digest: string): Promise<ReuseOutcome> {
    const { store } = this;
    const donor = store.doneWithDigest(digest, imageId);
    if (!donor) return { type: 'none' };
    const keys = objectKeys(donor);
    return store.withKeys(keys, async () => {
      const current = store.doneWithDigest(digest, imageId);
      if (!current || objectKeys(current).join() !== keys.join() || keys.some((key) => store.deletionLive(key))) return { type: 'none' };
      const found = store.unfinished(imageId, version);
      if (!found) return { type: 'moot' };
      const { compressed_url, compressed_key, width, height, bytes, format, renditions, rendition_keys, placeholder } = current;
      store.replace(found.productId, {
        ...found.image,
        ...{ compressed_url, compressed_key, width, height, bytes, format, renditions, rendition_keys, placeholder },
        status: 'done',
        error: null,
        source_digest: digest,
        reused: true,
      });
      const row = store.products.get(found.productId)!;
      const product = store.save(found.productId, row.record, row.images);
      store.enqueue(imageEventTasks(store.stamp, 'image.done', product, imageId));
      return { type: 'reused', product_version: product.version };
    });
  }

  async fail(imageId: number, version: number, reason: string, final: boolean, releaseSource = false): Promise<number | null> {
    const found = this.store.unfinished(imageId, version);
    if (!found) return null;
    const release = final && releaseSource && found.image.source_key !== null;
    this.store.replace(found.productId, {
      ...found.image,
      status: final ? 'failed' : 'pending',
      error: reason,
      ...(release && { source_key: null }),
    });
    const productVersion = this.store.bump(found.productId);
    const tasks = release ? objectDeleteTasks([{ source_key: found.image.source_key, compressed_key: null }]) : [];
    if (final) {
      const row = this.store.products.get(found.productId)!;
      tasks.push(...imageEventTasks(this.store.stamp, 'image.failed', this.store.assemble(row.record, row.images), imageId));
    }
    this.store.enqueue(tasks);
    return productVersion;
  }

  async requeueUnfinished(): Promise<number> {
    const { store } = this;
    const requeued: { productId: number; image: StoredImage }[] = [];
    for (const [productId, row] of store.products) {
      for (const image of row.images) {
        if (image.status === 'done' || image.status === 'failed') continue;
        requeued.push({ productId, image: store.replace(productId, { ...image, status: 'pending', version: image.version + 1 }) });
      }
    }
    for (const productId of new Set(requeued.map((entry) => entry.productId))) store.bump(productId);
    requeued.sort((a, b) => a.image.id - b.image.id);
    store.enqueue(
      requeued.map(({ productId, image }) => imageProcessTask({ id: image.id, product_id: productId, version: image.version })),
      undefined,
    );
    return requeued.length;
  }
}

/** The objects a done image references, sorted. */
const objectKeys = (image: StoredImage): string[] =>
  [...new Set([...(image.compressed_key === null ? [] : [image.compressed_key]), ...image.rendition_keys])].sort();
