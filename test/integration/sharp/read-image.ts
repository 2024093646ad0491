import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testImagesDir } from '../../support/testdata.js';

/** The bytes of a shared test image, e.g. `ladybird.jpg` or `hostile/truncated.jpg`. */
export const readImage = (name: string): Buffer => readFileSync(join(testImagesDir(), name));
