import type { ObjectBody, ObjectStore, ObjectStream, StoredObject } from '../../application/index.js';

/** ObjectStore in a Map, for unit tests and single-process use; it keeps copies, so callers may reuse their buffers. */
export class InMemoryObjectStore implements ObjectStore {
  readonly #objects = new Map<string, StoredObject>();
  readonly #baseUrl: string;

  /** `publicBaseUrl` prefixes `urlFor`; `memory://objects` by default. */
  constructor(options: { publicBaseUrl?: string } = {}) {
    this.#baseUrl = (options.publicBaseUrl ?? 'memory://objects').replace(/\/+$/, '');
  }

  async put(key: string, body: ObjectBody, contentType: string): Promise<void> {
    // Not bytes.slice(): on a Buffer that is a view of the caller's memory, not a copy.
    const bytes = body instanceof Uint8Array ? new Uint8Array(body) : new Uint8Array(await new Response(body.open()).arrayBuffer());
    if (!(body instanceof Uint8Array) && bytes.byteLength !== body.size) {
      throw new Error(`expected ${body.size} bytes to store, the stream gave ${bytes.byteLength}`);
    }
    this.#objects.set(key, { bytes, contentType });
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
