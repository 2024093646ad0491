import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Writes `contents` to a fresh file in `tmpDir`, flushes it, and renames it over `target`, so readers
 * see the old file or the whole new one, never a part. Resolves once the rename itself is on disk.
 * `tmpDir` must be on the same file system as `target`.
 */
export async function writeAtomically(tmpDir: string, target: string, contents: string | Uint8Array): Promise<void> {
  const directory = dirname(target);
  await Promise.all([mkdir(tmpDir, { recursive: true }), mkdir(directory, { recursive: true })]);
  const temp = join(tmpDir, randomUUID());
  try {
    await withFile(temp, 'wx', async (file) => {
      await file.writeFile(contents);
      await file.sync();
    });
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  // A rename is durable only once its directory entry is flushed too.
  await withFile(directory, 'r', (handle) => handle.sync());
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
