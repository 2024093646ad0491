import type { ObjectReferences } from './ports/object-references.js';
import type { ObjectBody, ObjectStore } from './ports/object-store.js';

/**
 * The one protocol for stored objects. Keys are content-addressed, so images of several products
 * may share an object, and an object may be deleted (its last image went) while another job is
 * about to reference it again. No call to the object store ever runs inside a database
 * transaction:
 *
 * - A writer puts the object, then commits the image row that references it (ImageJobs.complete,
 *   ProductRepo.addImage). After the commit it waits while a deletion lease of the key is in
 *   progress, then puts the object back if it is missing.
 * - A deleter begins a deletion lease, which the database grants only while no image references
 *   the key (serialized with the writers' commits), deletes the object, and ends the lease.
 *
 * A writer's commit either precedes the lease (the deleter sees the reference and keeps the
 * object) or follows it; then the writer sees the lease until the delete is done, or the delete
 * is done before it looks, and either way it restores the object afterwards.
 */
export interface ObjectLifecycleDeps {
  readonly objects: Pick<ObjectStore, 'put' | 'exists' | 'delete'>;
  readonly references: ObjectReferences;
}

/** Timing of the protocol; tests shorten it. */
export interface ObjectLifecycleOptions {
  /** How long a deletion may take before writers stop waiting for it (default 5 min, above the store's retries). */
  readonly leaseMs?: number;
  /** Pause between two looks at a lease in progress (default 50 ms). */
  readonly pollMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** An object about to be stored. */
export interface NewObject {
  readonly key: string;
  readonly body: ObjectBody;
  readonly contentType: string;
}

const DEFAULT_LEASE_MS = 5 * 60 * 1000;
const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Stores `object`, then runs `reference` (the transaction that makes an image point at it). When
 * `referenced(result)` says it did, the object is made sure to survive any concurrent deletion;
 * when it did not (the image or product changed meanwhile), the object is deleted unless another
 * image uses it. Returns what `reference` returned.
 */
export function storeReferenced<T>(
  deps: ObjectLifecycleDeps,
  object: NewObject,
  reference: () => Promise<T>,
  referenced: (result: T) => boolean,
  options: ObjectLifecycleOptions = {},
): Promise<T> {
  return storeAllReferenced(deps, [object], reference, referenced, options);
}

/**
 * storeReferenced for several objects referenced by one commit (an image's renditions), stored
 * in parallel. Should a put or the commit fail, every object this call stored is deleted unless
 * something references it, so a failed job leaves no partial set behind; then the error is rethrown.
 */
export async function storeAllReferenced<T>(
  deps: ObjectLifecycleDeps,
  objects: readonly NewObject[],
  reference: () => Promise<T>,
  referenced: (result: T) => boolean,
  options: ObjectLifecycleOptions = {},
): Promise<T> {
  const distinct = [...new Map(objects.map((object) => [object.key, object])).values()];
  const puts = await Promise.allSettled(distinct.map((object) => deps.objects.put(object.key, object.body, object.contentType)));
  const stored = distinct.filter((_, i) => puts[i]!.status === 'fulfilled');
  const cleanUp = () => Promise.allSettled(stored.map((object) => deleteUnreferenced(deps, object.key, options)));
  const failedPut = puts.find((put): put is PromiseRejectedResult => put.status === 'rejected');
  if (failedPut) {
    await cleanUp();
    throw failedPut.reason;
  }
  let result: T;
  try {
    result = await reference();
  } catch (error) {
    // The commit may have happened before its answer was lost: the reference check keeps what it made.
    await cleanUp();
    throw error;
  }
  if (referenced(result)) for (const object of distinct) await keepStored(deps, object, options);
  else for (const object of distinct) await deleteUnreferenced(deps, object.key, options);
  return result;
}

/** After a committed reference: outwaits a deletion begun before it, then restores the object if it went. */
async function keepStored(deps: ObjectLifecycleDeps, object: NewObject, options: ObjectLifecycleOptions): Promise<void> {
  const sleep = options.sleep ?? timer;
  const pollMs = options.pollMs ?? 50;
  const deadline = Date.now() + (options.leaseMs ?? DEFAULT_LEASE_MS);
  // An expired lease no longer counts as in progress, so this ends by the deadline at the latest.
  while (Date.now() < deadline && (await deps.references.deletionInProgress(object.key))) await sleep(pollMs);
  if (!(await deps.objects.exists(object.key))) await deps.objects.put(object.key, object.body, object.contentType);
}

/**
 * Deletes the object at `key` unless an image references it or another deletion of it is in
 * progress; true when this call deleted it. A failed delete ends the lease and rethrows.
 */
export async function deleteUnreferenced(deps: ObjectLifecycleDeps, key: string, options: ObjectLifecycleOptions = {}): Promise<boolean> {
  const token = await deps.references.beginDeletion(key, options.leaseMs ?? DEFAULT_LEASE_MS);
  if (token === null) return false;
  try {
    await deps.objects.delete(key);
  } finally {
    await deps.references.endDeletion(key, token);
  }
  return true;
}
