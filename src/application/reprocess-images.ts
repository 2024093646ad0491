import { lacksRenditions, type RenditionSet } from '../domain/index.js';
import { productChanged, type ProductWriteCache } from './product-cache.js';
import type { BackfillScope, DoneImage, ImageBackfill } from './ports/image-backfill.js';

/** Where a backfill is; also its summary once it ends. */
export interface ReprocessProgress {
  /** Done images in the scope when the backfill began. */
  total: number;
  /** Done images looked at so far. */
  checked: number;
  /** Of those, queued again for lacking renditions (in a dry run: that would be). */
  queued: number;
  /** Since the start. */
  seconds: number;
}

export interface ReprocessOptions {
  readonly scope: BackfillScope;
  /** The renditions the worker makes now (IMAGE_RENDITION_WIDTHS and _FORMATS, as the compressor resolves them). */
  readonly expected: RenditionSet;
  /** Images queued per second at most, so the worker keeps room for new uploads. */
  readonly rate: number;
  readonly dryRun: boolean;
  /** Called after every page of images and once at the end. */
  readonly onProgress?: (progress: Readonly<ReprocessProgress>) => void;
  readonly pageSize?: number;
  /** Seams for tests: the clock in ms and the pause. */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Queues again, through the outbox and the worker's usual image job, every done image of the
 * scope that lacks renditions of the configured set, at most `rate` a second. Walks images in id
 * order and decides from each row, so it is resumable: a run stopped halfway and started again
 * skips what it queued before (those are pending, or done with their renditions by then).
 */
export async function reprocessImages(
  deps: { backfill: ImageBackfill; cache: ProductWriteCache },
  options: ReprocessOptions,
): Promise<ReprocessProgress> {
  if (!(options.rate > 0)) throw new RangeError(`rate must be positive, got ${options.rate}`);
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? pause;
  const pageSize = options.pageSize ?? 200;
  // About half a second of images per transaction: few round trips, and an even pace.
  const chunk = Math.max(1, Math.min(pageSize, Math.ceil(options.rate / 2)));
  const started = now();
  const progress: ReprocessProgress = { total: await deps.backfill.countDone(options.scope), checked: 0, queued: 0, seconds: 0 };
  const report = () => {
    progress.seconds = (now() - started) / 1000;
    options.onProgress?.(progress);
  };
  const queue = async (images: readonly DoneImage[]) => {
    // A dry run queues nothing, so it has nothing to pace.
    if (options.dryRun) {
      progress.queued += images.length;
      return;
    }
    // Paced from the start: the n-th image is not queued before n / rate seconds.
    const due = ((progress.queued + images.length) / options.rate) * 1000 - (now() - started);
    if (due > 0) await sleep(due);
    const { queued, products } = await deps.backfill.requeue(images);
    progress.queued += queued;
    for (const product of products) await productChanged(deps.cache, product);
  };
  for (let afterId = 0; ; ) {
    const page = await deps.backfill.doneImages(options.scope, afterId, pageSize);
    if (page.length === 0) break;
    afterId = page.at(-1)!.id;
    const lacking = page.filter((image) => lacksRenditions(image, options.expected));
    for (let i = 0; i < lacking.length; i += chunk) {
      await queue(lacking.slice(i, i + chunk));
    }
    progress.checked += page.length;
    report();
  }
  report();
  return progress;
}
