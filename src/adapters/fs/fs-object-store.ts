import { randomUUID } from 'node:crypto';
import { mkdir, open, opendir, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import type { ListedObject, ObjectBody, ObjectListing, ObjectStore, ObjectStream, Probe, StoredObject } from '../../application/index.js';
import { KeyedQueue } from './keyed-queue.js';
import { isMissing, readIfPresent, unlinkIfPresent } from './missing-file.js';
import { assertValidKey, encodeKey } from './object-key.js';
import { writeAtomically } from './write-atomically.js';

export interface FsObjectStoreOptions {
  /** The store's directory (DATA_DIR/objects); created on first write. */
  readonly root: string;
  /** The API's public origin; objects are served under `${publicBaseUrl}/files/`. */
  readonly publicBaseUrl: string;
}

interface Sidecar {
  readonly contentType: string;
}

/**
 * ObjectStore in a directory, for the embedded default: the bytes in `data/<key>`, the content type in
 * a sidecar `meta/<key>.json`, both written through `tmp/` and renamed into place. One process owns a
 * root: writes to the same key are serialized in memory, which keeps the two files consistent.
 */
export class FsObjectStore implements ObjectStore, ObjectListing {
  readonly #data: string;
  readonly #meta: string;
  readonly #tmp: string;
  readonly #baseUrl: string;
  readonly #writes = new KeyedQueue();

  /** Readiness check: writes and removes a file in the store's directory. */
  readonly probe: Probe;

  constructor(options: FsObjectStoreOptions) {
    const root = resolve(options.root);
    this.#data = join(root, 'data');
    this.#meta = join(root, 'meta');
    this.#tmp = join(root, 'tmp');
    this.#baseUrl = `${options.publicBaseUrl.replace(/\/+$/, '')}/files`;
    this.probe = { name: 'objects', check: () => this.#checkWritable(root) };
  }

  // Async so that an invalid key rejects; the body still queues the write synchronously, in call order.
  async put(key: string, body: ObjectBody, contentType: string): Promise<void> {
    const { data, meta } = this.#paths(key);
    return this.#writes.run(key, async () => {
      // The sidecar goes first and the data file's rename commits the object, so an object that is
      // visible always has its content type.
      await writeAtomically(this.#tmp, meta, JSON.stringify({ contentType } satisfies Sidecar));
      await writeAtomically(this.#tmp, data, body);
    });
  }

  async read(key: string): Promise<ObjectStream | null> {
    const { data, meta } = this.#paths(key);
    // Opened first: the bytes stay readable through this descriptor even if a delete follows.
    const file = await open(data, 'r').catch((error: unknown) => {
      if (isMissing(error)) return null;
      throw error;
    });
    if (file === null) return null;
    try {
      const sidecar = await readIfPresent(meta);
      if (sidecar === null) {
        await file.close();
        return null;
      }
      const { contentType } = JSON.parse(sidecar.toString('utf8')) as Sidecar;
      const { size } = await file.stat();
      // The stream closes the file when it ends or when the reader cancels it.
      return { body: Readable.toWeb(file.createReadStream()) as ReadableStream<Uint8Array>, size, contentType };
    } catch (error) {
      await file.close();
      throw error;
    }
  }

  async get(key: string): Promise<StoredObject | null> {
    const { data, meta } = this.#paths(key);
    const bytes = await readIfPresent(data);
    if (bytes === null) return null;
    const sidecar = await readIfPresent(meta);
    // Only a delete that ran between the two reads leaves the data without its sidecar.
    if (sidecar === null) return null;
    const { contentType } = JSON.parse(sidecar.toString('utf8')) as Sidecar;
    return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), contentType };
  }

  /** Walks the data directory under the prefix's folder, one directory handle at a time. */
  async *list(prefix: string): AsyncIterable<ListedObject> {
    const folder = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    yield* this.#walk(folder, prefix);
  }

  async *#walk(folder: string, prefix: string): AsyncIterable<ListedObject> {
    let dir;
    try {
      dir = await opendir(join(this.#data, folder));
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    for await (const entry of dir) {
      const key = `${folder}${entry.name}`;
      if (entry.isDirectory()) {
        if (prefix.startsWith(`${key}/`) || `${key}/`.startsWith(prefix)) yield* this.#walk(`${key}/`, prefix);
      } else if (entry.isFile() && key.startsWith(prefix)) {
        const info = await stat(join(this.#data, key)).catch((error: unknown) => (isMissing(error) ? null : Promise.reject(error)));
        if (info) yield { key, size: info.size, lastModified: info.mtime };
      }
    }
  }

  async exists(key: string): Promise<boolean> {
    const { data } = this.#paths(key);
    try {
      return (await stat(data)).isFile();
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const { data, meta } = this.#paths(key);
    // Data first: once it is gone the object is gone, whatever happens to the sidecar.
    return this.#writes.run(key, async () => {
      await unlinkIfPresent(data);
      await unlinkIfPresent(meta);
    });
  }

  urlFor(key: string): string {
    assertValidKey(key);
    return `${this.#baseUrl}/${encodeKey(key)}`;
  }

  /** Nothing to release: every call opens and closes its own files. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  #paths(key: string): { data: string; meta: string } {
    assertValidKey(key);
    return { data: join(this.#data, key), meta: join(this.#meta, `${key}.json`) };
  }

  async #checkWritable(root: string): Promise<void> {
    const file = join(this.#tmp, `probe-${randomUUID()}`);
    try {
      await mkdir(this.#tmp, { recursive: true });
      await writeFile(file, '');
      await rm(file);
    } catch (error) {
      throw new Error(`object directory ${root} is not writable: ${(error as Error).message}`, { cause: error });
    }
  }
}
