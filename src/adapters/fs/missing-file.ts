import { readFile, unlink } from 'node:fs/promises';

// What an operation on a path that is not a file (or no longer one) fails with.
const MISSING = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

/** Whether a file system error means there is no file at the path. */
export const isMissing = (error: unknown): boolean => MISSING.has(String((error as NodeJS.ErrnoException).code));

/** The file's bytes, or null when there is no file at `path`. */
export async function readIfPresent(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

/** Removes the file at `path`, if there is one. */
export async function unlinkIfPresent(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
}
