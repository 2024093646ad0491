export interface StoredObject {
  readonly bytes: Uint8Array;
  readonly contentType: string;
}

/** Where compressed images and uploaded originals live; keys are content-addressed paths. */
export interface ObjectStore {
  /** Writes (or overwrites with identical bytes) the object; resolves once it is durable. */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The object, or null when there is none. */
  get(key: string): Promise<StoredObject | null>;
  /** Whether the object exists. */
  exists(key: string): Promise<boolean>;
  /** Removes the object; removing a missing one is not an error. */
  delete(key: string): Promise<void>;
  /** The public URL clients fetch the object from. */
  urlFor(key: string): string;
}
