/**
 * Child process of the image bench: compresses each named photo with the project's compressor in
 * one format and prints, per photo, source and output bytes and the full-resolution SSIM of the
 * output against the source auto-oriented and resized to the output's dimensions.
 *
 *   node --import tsx bench/image-quality.ts --format webp dune.jpg storm.jpg …
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SharpImageCompressor } from '../src/adapters/sharp/index.js';
import { ssimToSource } from '../test/support/ssim.js';
import { testImagesDir } from '../test/support/testdata.js';
import type { FileQuality } from './images-report.js';
import { parseFormat } from './script-args.js';

const { values, positionals } = parseArgs({ options: { format: { type: 'string' } }, allowPositionals: true });
const compressor = new SharpImageCompressor({ format: parseFormat(values.format) });

const results: FileQuality[] = [];
for (const file of positionals) {
  const source = readFileSync(join(testImagesDir(), file));
  const output = await compressor.compress(source);
  results.push({ file, sourceBytes: source.length, outputBytes: output.bytes.length, ssim: await ssimToSource(source, output) });
}
process.stdout.write(`${JSON.stringify(results)}\n`);
