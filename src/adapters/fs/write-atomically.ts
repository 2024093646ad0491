import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

/** What a file can be written from: text, bytes, or a stream that must yield exactly `size` bytes. */
export type FileContents = string | Uint8Array | { readonly size: number; open(): ReadableStream<Uint8Array> };

/**
 * Writes `contents` to a fresh file in `tmpDir`, flushes it, and renames it over `target`, so readers
 * see the old file or the whole new one, never a part. Resolves once the rename itself is on disk.
 * `tmpDir` must be on the same file system as `target`.
 */
export async function writeAtomically(tmpDir: string, target: string, contents: FileContents): Promise<void> {
  const directory = dirname(target);
  await Promise.all([mkdir(tmpDir, { recursive: true }), mkdir(directory, { recursive: true })]);
  const temp = join(tmpDir, randomUUID());
  try {
    if (typeof contents === 'string' || contents instanceof Uint8Array) {
      await withFile(temp, 'wx', async (file) => {
        await file.writeFile(contents);
        await file.sync();
      });
    } else {
      await writeStream(temp, contents);
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  // A rename is durable only once its directory entry is flushed too.
  await withFile(directory, 'r', (handle) => handle.sync());
}

/** Streams into a new file, checks the length, and flushes it: memory stays at one chunk. */
async function writeStream(path: string, contents: { readonly size: number; open(): ReadableStream<Uint8Array> }): Promise<void> {
  let written = 0;
  const counted = Readable.fromWeb(contents.open() as WebReadableStream<Uint8Array>).on('data', (chunk: Buffer) => {
    written += chunk.length;
  });
  await pipeline(counted, createWriteStream(path, { flags: 'wx' }));
  if (written !== contents.size) throw new Error(`expected ${contents.size} bytes to store, the stream gave ${written}`);
  await withFile(path, 'r+', (file) => file.sync());
}

type FileHandle = Awaited<ReturnType<typeof open>>;

async function withFile(path: string, flags: string, use: (file: FileHandle) => Promise<void>): Promise<void> {
  const file = await open(path, flags);
  try {
    await use(file);
  } finally {
    await file.close();
  }
}
