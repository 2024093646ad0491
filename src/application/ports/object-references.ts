/**
 * What the image rows say about stored objects, for deleting an object safely while other images
 * may start to reference it (keys are content-addressed, so products can share one). A deletion
 * is a lease recorded in the database: it is begun only while nothing references the key, and a
 * writer that references the key meanwhile sees it and restores the object once it ends. See
 * object-lifecycle.ts for the whole protocol.
 */
export interface ObjectReferences {
  /**
   * If no image references `key` (as its compressed object, source or any rendition) and no other deletion of it is in progress, records a deletion
   * lease lasting `leaseMs` and returns its token; otherwise null (keep the object). Serialized
   * with the writes that reference a key (ImageJobs.complete, ProductRepo.addImage).
   */
  beginDeletion(key: string, leaseMs: number): Promise<string | null>;
  /** Ends the lease `token` of `key` once the object is deleted (or its deletion failed). */
  endDeletion(key: string, token: string): Promise<void>;
  /** Whether a deletion lease of `key` is in progress (begun, not ended, not expired). */
  deletionInProgress(key: string): Promise<boolean>;
}
