import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ListedObject, ObjectListing, ObjectStore } from '../../src/application/index.js';

/** What an adapter hands the contract: a store, and how to release it after each test. */
export interface ObjectStoreFixture {
  readonly store: ObjectStore & ObjectListing;
  close(): Promise<void>;
}

/** Builds a fixture; called before each test, closed after it. */
export type MakeObjectStore = () => Promise<ObjectStoreFixture>;

// Every test writes under its own prefix, so stores backed by a shared bucket need no cleanup.
const aKey = (name = 'cd.webp') => `images/${randomUUID().slice(0, 8)}/${name}`;
const hex = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The ObjectStore port's documented behaviour; every ObjectStore adapter runs it. */
export function objectStoreContract(name: string, makeStore: MakeObjectStore): void {
  describe(`ObjectStore contract: ${name}`, () => {
    let fixture: ObjectStoreFixture;
    let store: ObjectStore & ObjectListing;
    beforeEach(async () => {
      fixture = await makeStore();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.close();
    });

    it('returns what was put: the bytes and the content type', async () => {
      const key = aKey();
      await store.put(key, new Uint8Array([82, 73, 70, 70]), 'image/webp');
      const stored = await store.get(key);
      expect(stored?.bytes).toBeInstanceOf(Uint8Array);
      expect(hex(stored!.bytes)).toBe('52494646');
      expect(stored?.contentType).toBe('image/webp');
    });

    it('lists the objects under a prefix with their size and age, page after page, not what was deleted', async () => {
      const prefix = `images/${randomUUID().slice(0, 8)}/`;
      const before = Date.now() - 60_000;
      const keys = Array.from({ length: 3 }, (_, i) => `${prefix}${i}.webp`);
      for (const [i, key] of keys.entries()) await store.put(key, new Uint8Array(i + 1), 'image/webp');
      await store.put(`${prefix}gone.webp`, new Uint8Array(9), 'image/webp');
      await store.delete(`${prefix}gone.webp`);
      const listed: ListedObject[] = [];
      for await (const object of store.list(prefix)) listed.push(object);
      expect(listed.map(({ key, size }) => [key, size]).sort()).toEqual(keys.map((key, i) => [key, i + 1]));
      for (const object of listed) {
        expect(object.lastModified.getTime()).toBeGreaterThan(before);
        expect(object.lastModified.getTime()).toBeLessThan(Date.now() + 60_000);
      }
      const none: ListedObject[] = [];
      for await (const object of store.list(`images/${randomUUID()}/`)) none.push(object);
      expect(none).toEqual([]);
    });

    it('knows an object exists only once it is put', async () => {
      const key = aKey();
      expect(await store.exists(key)).toBe(false);
      await store.put(key, new Uint8Array([1]), 'image/png');
      expect(await store.exists(key)).toBe(true);
    });

    it('finds nothing under a key never written', async () => {
      const key = aKey();
      expect(await store.get(key)).toBeNull();
      expect(await store.exists(key)).toBe(false);
    });

    it('round-trips every byte value exactly', async () => {
      const key = aKey('all-bytes.bin');
      const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
      await store.put(key, bytes, 'application/octet-stream');
      expect(hex((await store.get(key))!.bytes)).toBe(hex(bytes));
    });

    it('round-trips a megabyte of random bytes', async () => {
      const key = aKey('large.avif');
      const bytes = randomBytes(1024 * 1024);
      await store.put(key, bytes, 'image/avif');
      const stored = await store.get(key);
      expect(stored?.bytes.byteLength).toBe(bytes.byteLength);
      expect(sha256(stored!.bytes)).toBe(sha256(bytes));
    });

    it('stores an empty object', async () => {
      const key = aKey('empty.txt');
      await store.put(key, new Uint8Array(0), 'text/plain');
      expect(await store.exists(key)).toBe(true);
      expect(await store.get(key)).toMatchObject({ contentType: 'text/plain' });
      expect((await store.get(key))?.bytes.byteLength).toBe(0);
    });

    it('keeps each content type with its own object', async () => {
      const types = ['image/webp', 'image/avif', 'image/jpeg', 'image/png', 'application/octet-stream'];
      const keys = types.map(() => aKey());
      await Promise.all(keys.map((key, i) => store.put(key, new Uint8Array([i]), types[i]!)));
      const stored = await Promise.all(keys.map((key) => store.get(key)));
      expect(stored.map((object) => object?.contentType)).toEqual(types);
      expect(stored.map((object) => hex(object!.bytes))).toEqual(['00', '01', '02', '03', '04']);
    });

    it('keeps nested keys apart from their siblings', async () => {
      const prefix = `images/${randomUUID().slice(0, 8)}`;
      await store.put(`${prefix}/ab/cd.webp`, new Uint8Array([1]), 'image/webp');
      await store.put(`${prefix}/ab/ce.webp`, new Uint8Array([2]), 'image/webp');
      await store.delete(`${prefix}/ab/ce.webp`);
      expect(hex((await store.get(`${prefix}/ab/cd.webp`))!.bytes)).toBe('01');
      expect(await store.exists(`${prefix}/ab/ce.webp`)).toBe(false);
      expect(await store.exists(`${prefix}/ab`)).toBe(false);
    });

    it('keeps its own copy of the bytes', async () => {
      const key = aKey();
      const bytes = Buffer.from([1, 2, 3]);
      await store.put(key, bytes, 'image/webp');
      bytes.fill(0);
      const first = await store.get(key);
      first!.bytes.fill(9);
      expect(hex((await store.get(key))!.bytes)).toBe('010203');
    });

    it('accepts the same bytes put again', async () => {
      const key = aKey();
      const bytes = randomBytes(4096);
      await store.put(key, bytes, 'image/webp');
      await store.put(key, bytes, 'image/webp');
      expect(sha256((await store.get(key))!.bytes)).toBe(sha256(bytes));
    });

    it('survives concurrent puts of the same key', async () => {
      const key = aKey();
      const bytes = randomBytes(64 * 1024);
      await Promise.all(Array.from({ length: 8 }, () => store.put(key, bytes, 'image/webp')));
      const stored = await store.get(key);
      expect(sha256(stored!.bytes)).toBe(sha256(bytes));
      expect(stored?.contentType).toBe('image/webp');
    });

    it('deletes an object', async () => {
      const key = aKey();
      await store.put(key, new Uint8Array([1]), 'image/webp');
      await store.delete(key);
      expect(await store.get(key)).toBeNull();
      expect(await store.exists(key)).toBe(false);
    });

    it('deletes a missing object without complaint, any number of times', async () => {
      const key = aKey();
      await expect(store.delete(key)).resolves.toBeUndefined();
      await store.put(key, new Uint8Array([1]), 'image/webp');
      await store.delete(key);
      await expect(store.delete(key)).resolves.toBeUndefined();
      expect(await store.exists(key)).toBe(false);
    });

    it('stores an object again after it was deleted', async () => {
      const key = aKey();
      await store.put(key, new Uint8Array([1]), 'image/webp');
      await store.delete(key);
      await store.put(key, new Uint8Array([2]), 'image/jpeg');
      expect(await store.get(key)).toMatchObject({ contentType: 'image/jpeg' });
    });

    /** A body that streams `bytes` in chunks of `chunk` bytes, and counts how often it was opened. */
    const streamed = (bytes: Uint8Array, chunk = 64 * 1024) => {
      let opens = 0;
      return {
        size: bytes.byteLength,
        sha256: sha256(bytes),
        get opens() {
          return opens;
        },
        open: () => {
          opens += 1;
          let offset = 0;
          return new ReadableStream<Uint8Array>({
            pull(controller) {
              if (offset >= bytes.byteLength) return controller.close();
              controller.enqueue(bytes.slice(offset, offset + chunk));
              offset += chunk;
            },
          });
        },
      };
    };
    const readAll = async (stream: ReadableStream<Uint8Array>) => new Uint8Array(await new Response(stream).arrayBuffer());

    it('stores a streamed body of a few megabytes, and streams it back', async () => {
      const key = aKey('streamed.png');
      const bytes = randomBytes(3 * 1024 * 1024 + 17);
      const body = streamed(bytes);
      await store.put(key, body, 'image/png');
      expect(body.opens).toBe(1);
      expect(sha256((await store.get(key))!.bytes)).toBe(sha256(bytes));
      const read = await store.read(key);
      expect(read).toMatchObject({ size: bytes.byteLength, contentType: 'image/png' });
      expect(sha256(await readAll(read!.body))).toBe(sha256(bytes));
    });

    it('refuses a stream shorter than its declared size, and leaves no object', async () => {
      const key = aKey('short.png');
      const bytes = randomBytes(1000);
      await expect(store.put(key, { ...streamed(bytes), size: 2000, open: () => streamed(bytes).open() }, 'image/png')).rejects.toThrow();
      expect(await store.exists(key)).toBe(false);
    });

    it('reads nothing under a key never written, and lets a reader stop early', async () => {
      expect(await store.read(aKey())).toBeNull();
      const key = aKey('early.bin');
      await store.put(key, randomBytes(512 * 1024), 'application/octet-stream');
      const read = await store.read(key);
      await read!.body.cancel();
      expect(await store.exists(key)).toBe(true);
    });

    it('gives each key a URL that ends with the key', () => {
      const first = aKey('ab.webp');
      const second = aKey('ab.webp');
      const url = store.urlFor(first);
      expect(url.endsWith(`/${first}`)).toBe(true);
      expect(() => new URL(url)).not.toThrow();
      expect(store.urlFor(second)).not.toBe(url);
    });
  });
}
