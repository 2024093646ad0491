import { deleteUnreferenced, type ObjectLifecycleDeps, type ObjectLifecycleOptions } from './object-lifecycle.js';
import type { ObjectListing } from './ports/object-store.js';

/** What a sweep found and did; in a dry run, `deleted` and `bytes_freed` are what it would have. */
export interface SweepSummary {
  found: number;
  /** Younger than the grace period, referenced, or being deleted by someone else. */
  kept: number;
  deleted: number;
  bytes_freed: number;
}

export interface SweepOptions {
  /** Objects written more recently than this are never touched (a worker may be about to commit them). */
  readonly graceMs: number;
  readonly dryRun: boolean;
  readonly now?: () => Date;
  /** Called after every `progressEvery` objects and once at the end. */
  readonly onProgress?: (summary: Readonly<SweepSummary>) => void;
  readonly progressEvery?: number;
  readonly lifecycle?: ObjectLifecycleOptions;
  /** Once aborted, the sweep ends after the object in hand and returns what it did so far. */
  readonly signal?: AbortSignal;
}

/** Where the service writes: renditions and uploaded originals. */
export const SWEPT_PREFIXES = ['images/', 'originals/'] as const;

/**
 * Removes stored objects that no image references and that are older than the grace period.
 * Safe against a worker that stores an object and commits moments later: the object is younger
 * than the grace period until long after that commit (a put renews it), and past it the deletion
 * goes through the lease protocol (object-lifecycle.ts), so a reference committed meanwhile either
 * keeps the object or restores it. A dry run takes and ends the same lease without deleting.
 */
export async function sweepOrphans(deps: ObjectLifecycleDeps & { listing: ObjectListing }, options: SweepOptions): Promise<SweepSummary> {
  const summary: SweepSummary = { found: 0, kept: 0, deleted: 0, bytes_freed: 0 };
  const now = (options.now ?? (() => new Date()))().getTime();
  const every = options.progressEvery ?? 100;
  const leaseMs = options.lifecycle?.leaseMs ?? 5 * 60 * 1000;
  for (const prefix of SWEPT_PREFIXES) {
    if (options.signal?.aborted) break;
    for await (const object of deps.listing.list(prefix)) {
      if (options.signal?.aborted) break;
      summary.found += 1;
      let gone = false;
      if (now - object.lastModified.getTime() >= options.graceMs) {
        if (options.dryRun) {
          const token = await deps.references.beginDeletion(object.key, leaseMs);
          if (token !== null) await deps.references.endDeletion(object.key, token);
          gone = token !== null;
        } else {
          gone = await deleteUnreferenced(deps, object.key, options.lifecycle);
        }
      }
      if (gone) {
        summary.deleted += 1;
        summary.bytes_freed += object.size;
      } else {
        summary.kept += 1;
      }
      if (summary.found % every === 0) options.onProgress?.(summary);
    }
  }
  options.onProgress?.(summary);
  return summary;
}
