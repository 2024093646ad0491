import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsObjectStore, InvalidObjectKeyError } from '../../../src/adapters/fs/index.js';
import { objectStoreContract } from '../../contracts/object-store.contract.js';

const BASE = 'http://localhost:3000';

objectStoreContract('file system', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'catalog-objects-'));
  const store = new FsObjectStore({ root: join(dir, 'objects'), publicBaseUrl: BASE });
  return {
    store,
    close: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('FsObjectStore', () => {
  let dir: string;
  let root: string;
  let store: FsObjectStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'catalog-objects-'));
    root = join(dir, 'objects');
    store = new FsObjectStore({ root, publicBaseUrl: BASE });
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const unsafeKeys = ['../escape.webp', 'images/../../escape.webp', '..', '/etc/passwd', 'images\\..\\..\\escape'];
  const malformedKeys = ['images/a\0.webp', '', 'images//a.webp', 'images/', './a.webp'];

  it.each([...unsafeKeys, ...malformedKeys])('refuses the key %j in every method, writing nothing', async (key) => {
    await expect(store.put(key, new Uint8Array([1]), 'image/webp')).rejects.toBeInstanceOf(InvalidObjectKeyError);
    await expect(store.get(key)).rejects.toThrow(/invalid object key/);
    await expect(store.exists(key)).rejects.toThrow(/invalid object key/);
    await expect(store.delete(key)).rejects.toThrow(/invalid object key/);
    expect(() => store.urlFor(key)).toThrow(InvalidObjectKeyError);
    expect(await readdir(dir)).toEqual([]);
  });

  it('keeps the bytes as a plain file and the content type in a sidecar', async () => {
    await store.put('images/ab/cd.webp', new Uint8Array([1, 2]), 'image/webp');
    expect([...(await readFile(join(root, 'data/images/ab/cd.webp')))]).toEqual([1, 2]);
    expect(JSON.parse(await readFile(join(root, 'meta/images/ab/cd.webp.json'), 'utf8'))).toEqual({ contentType: 'image/webp' });
  });

  it('finds its objects again after a restart', async () => {
    await store.put('images/ab/cd.avif', new Uint8Array([3]), 'image/avif');
    const reopened = new FsObjectStore({ root, publicBaseUrl: BASE });
    expect(await reopened.get('images/ab/cd.avif')).toMatchObject({ contentType: 'image/avif' });
  });

  it('never shows a partly written object', async () => {
    const bytes = randomBytes(16 * 1024 * 1024);
    const seen = new Set<string>();
    let done = false;
    const writing = store.put('images/ab/big.webp', bytes, 'image/webp').finally(() => (done = true));
    while (!done) {
      const object = await store.get('images/ab/big.webp');
      seen.add(object === null ? 'missing' : object.bytes.byteLength === bytes.byteLength ? 'whole' : 'partial');
    }
    await writing;
    expect(seen.has('partial')).toBe(false);
    expect(seen.has('missing')).toBe(true);
    expect(Buffer.from((await store.get('images/ab/big.webp'))!.bytes).equals(bytes)).toBe(true);
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
  });

  it('leaves no object and no temporary file behind when a write fails', async () => {
    await store.put('images/ab/cd.webp', new Uint8Array([1]), 'image/webp');
    // The data path of `images/ab` is a directory now, so the final rename fails.
    await expect(store.put('images/ab', new Uint8Array([2]), 'image/webp')).rejects.toMatchObject({ code: 'EISDIR' });
    expect(await store.get('images/ab')).toBeNull();
    expect(await store.exists('images/ab')).toBe(false);
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
    await store.put('images/ab/ce.webp', new Uint8Array([3]), 'image/webp');
    expect(await store.exists('images/ab/ce.webp')).toBe(true);
  });

  it('applies a put and a delete of one key in the order they were called', async () => {
    const bytes = new Uint8Array([1]);
    await Promise.all([store.put('a.webp', bytes, 'image/webp'), store.delete('a.webp')]);
    expect(await store.exists('a.webp')).toBe(false);
    await Promise.all([store.delete('b.webp'), store.put('b.webp', bytes, 'image/webp')]);
    expect(await store.get('b.webp')).toMatchObject({ contentType: 'image/webp' });
  });

  it('counts data whose sidecar a delete just removed as missing', async () => {
    await store.put('images/ab/cd.webp', new Uint8Array([1]), 'image/webp');
    await rm(join(root, 'meta/images/ab/cd.webp.json'));
    expect(await store.get('images/ab/cd.webp')).toBeNull();
  });

  it('reports file system failures other than a missing file', async () => {
    const tooLong = `images/${'x'.repeat(300)}.webp`;
    // With the parent directory in place, the name itself is what the kernel refuses.
    await store.put('images/short.webp', new Uint8Array([1]), 'image/webp');
    await expect(store.put(tooLong, new Uint8Array([1]), 'image/webp')).rejects.toMatchObject({ code: 'ENAMETOOLONG' });
    await expect(store.get(tooLong)).rejects.toMatchObject({ code: 'ENAMETOOLONG' });
    await expect(store.exists(tooLong)).rejects.toMatchObject({ code: 'ENAMETOOLONG' });
    await expect(store.delete(tooLong)).rejects.toMatchObject({ code: 'ENAMETOOLONG' });
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
  });

  it('serves URLs under /files of the base, with or without a trailing slash', () => {
    const withSlash = new FsObjectStore({ root, publicBaseUrl: `${BASE}/` });
    expect(store.urlFor('images/ab/cd.webp')).toBe('http://localhost:3000/files/images/ab/cd.webp');
    expect(withSlash.urlFor('images/ab/cd.webp')).toBe('http://localhost:3000/files/images/ab/cd.webp');
    const mounted = new FsObjectStore({ root, publicBaseUrl: 'https://shop.example.com/api//' });
    expect(mounted.urlFor('a b/ü.webp')).toBe('https://shop.example.com/api/files/a%20b/%C3%BC.webp');
  });

  it('passes its probe on a writable directory, creating it and leaving nothing behind', async () => {
    expect(store.probe.name).toBe('objects');
    await expect(store.probe.check()).resolves.toBeUndefined();
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
  });

  it('fails its probe readably when the directory cannot be written', async () => {
    await writeFile(join(dir, 'not-a-directory'), '');
    const blocked = new FsObjectStore({ root: join(dir, 'not-a-directory', 'objects'), publicBaseUrl: BASE });
    await expect(blocked.probe.check()).rejects.toThrow(/^object directory .*not-a-directory\/objects is not writable: ENOTDIR/);
  });
});
