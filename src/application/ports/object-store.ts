export interface StoredObject {
  readonly bytes: Uint8Array;
  readonly contentType: string;
}

/**
 * Bytes to store: in memory, or a stream of exactly `size` bytes whose SHA-256 (hex) is known,
 * which can be opened again (a second put re-reads it from the start), so large uploads never sit
 * in memory whole. Stores may verify the digest.
 */
export type ObjectBody = Uint8Array | StreamedBody;

export interface StreamedBody {
  readonly size: number;
  readonly sha256: string;
  open(): ReadableStream<Uint8Array>;
}

/** An object being read as a stream; the consumer must read or cancel `body`. */
export interface ObjectStream {
  readonly body: ReadableStream<Uint8Array>;
  readonly size: number;
  readonly contentType: string;
}

/** Where compressed images and uploaded originals live; keys are content-addressed paths. */
export interface ObjectStore {
  /** Writes (or overwrites with identical bytes) the object; resolves once it is durable. */
  put(key: string, body: ObjectBody, contentType: string): Promise<void>;
  /** The object in memory, or null when there is none; for bounded objects (the worker's sources). */
  get(key: string): Promise<StoredObject | null>;
  /** The object as a stream of its bytes, or null when there is none; memory stays bounded whatever its size. */
  read(key: string): Promise<ObjectStream | null>;
  /** Whether the object exists. */
  exists(key: string): Promise<boolean>;
  /** Removes the object; removing a missing one is not an error. */
  delete(key: string): Promise<void>;
  /** The public URL clients fetch the object from. */
  urlFor(key: string): string;
}

/** One stored object as a listing reports it. */
export interface ListedObject {
  readonly key: string;
  readonly size: number;
  /** When it was last written: a put of the same key again renews it. */
  readonly lastModified: Date;
}

/** Enumerates stored objects, for the operator's orphan sweep; the API and the worker never list. */
export interface ObjectListing {
  /** Every object whose key starts with `prefix`, fetched page by page (memory stays bounded). */
  list(prefix: string): AsyncIterable<ListedObject>;
}
