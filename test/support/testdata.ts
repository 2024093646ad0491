import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The shared test images (real photos and hostile files): `../shared/testdata/images` beside
 * the repository, or TESTDATA_IMAGES. Missing is an error, never a skip.
 */
export function testImagesDir(): string {
  const dir = process.env.TESTDATA_IMAGES ?? fileURLToPath(new URL('../../../shared/testdata/images', import.meta.url));
  if (!existsSync(dir)) {
    throw new Error(`Test images not found at ${dir}: put the shared testdata beside the repository or set TESTDATA_IMAGES.`);
  }
  return dir;
}

/** The non-hostile photos, by file name. */
export const photoNames = (): string[] =>
  readdirSync(testImagesDir()).filter((name) => /\.(jpe?g|png|webp)$/i.test(name)).sort();

/** The hostile files, by file name (under `hostile/`). */
export const hostileNames = (): string[] => readdirSync(join(testImagesDir(), 'hostile')).sort();
