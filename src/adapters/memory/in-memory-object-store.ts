import type { ListedObject, ObjectBody, ObjectListing, ObjectStore, ObjectStream, StoredObject } from '../../application/index.js';

/** ObjectStore in a Map, for unit tests and single-process use; it keeps copies, so callers may reuse their buffers. */
export class InMemoryObjectStore implements ObjectStore, ObjectListing {
  readonly #objects = new Map<string, StoredObject>();
  readonly #written = new Map<string, Date>();
  readonly #baseUrl: string;
  readonly #now: () => Date;

  /** `publicBaseUrl` prefixes `urlFor`; `memory://objects` by default. `now` dates each put. */
  constructor(options: { publicBaseUrl?: string; now?: () => Date } = {}) {
    this.#baseUrl = (options.publicBaseUrl ?? 'memory://objects').replace(/\/+$/, '');
    this.#now = options.now ?? (() => new Date());
  }

  async *list(prefix: string): AsyncIterable<ListedObject> {
    for (const [key, object] of [...this.#objects].sort(([a], [b]) => a.localeCompare(b))) {
      if (key.startsWith(prefix)) yield { key, size: object.bytes.byteLength, lastModified: this.#written.get(key)! };
    }
  }

  async put(key: string, body: ObjectBody, contentType: string): Promise<void> {
    // Not bytes.slice(): on a Buffer that is a view of the caller's memory, not a copy.
    const bytes = body instanceof Uint8Array ? new Uint8Array(body) : new Uint8Array(await new Response(body.open()).arrayBuffer());
    if (!(body instanceof Uint8Array) && bytes.byteLength !== body.size) {
      throw new Error(`expected ${body.size} bytes to store, the stream gave ${bytes.byteLength}`);
    }
    this.#objects.set(key, { bytes, contentType });
    this.#written.set(key, this.#now());
  }

  async read(key: string): Promise<ObjectStream | null> {
    const object = await this.get(key);
    if (!object) return null;
    return { body: new Blob([object.bytes as Uint8Array<ArrayBuffer>]).stream(), size: object.bytes.byteLength, contentType: object.contentType };
  }

  async get(key: string): Promise<StoredObject | null> {
    const object = this.#objects.get(key);
    return object ? { bytes: new Uint8Array(object.bytes), contentType: object.contentType } : null;
  }

  async exists(key: string): Promise<boolean> {
    return this.#objects.has(key);
  }

  async delete(key: string): Promise<void> {
    this.#objects.delete(key);
    this.#written.delete(key);
  }

  urlFor(key: string): string {
    return `${this.#baseUrl}/${key}`;
  }

  /** The stored keys, for tests that check what was written or cleaned up. */
  keys(): string[] {
    return [...this.#objects.keys()];
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
