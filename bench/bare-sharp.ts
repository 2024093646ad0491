/**
 * Child process of the image bench: the project's compressor, with the worker's default settings
 * and the same rendition set (every default width, one decode), in a tight loop over the photos held in memory, `--concurrency` compressions in flight (the
 * worker's WORKER_CONCURRENCY), `--images` in all. `--single`: only one 1600-px rendition (the
 * single WebP of before renditions), the baseline of their CPU cost. `--nice`: the CPU priority the
 * worker runs at (WORKER_NICE), so both sides of the comparison get the same share of a busy machine.
 * Prints {images, seconds, cpuSeconds, peakRssMb}.
 *
 *   MALLOC_ARENA_MAX=2 node --import tsx bench/bare-sharp.ts --images 20 [--concurrency 2] [--format webp] [--single] [--nice 10]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SharpImageCompressor } from '../src/adapters/sharp/index.js';
import { lowerProcessPriority } from '../src/main/thread-priority.js';
import { photoNames, testImagesDir } from '../test/support/testdata.js';
import { parseFormat, positiveInt } from './script-args.js';

const { values } = parseArgs({
  options: { images: { type: 'string' }, concurrency: { type: 'string', default: '2' }, format: { type: 'string', default: 'webp' }, single: { type: 'boolean', default: false }, nice: { type: 'string', default: '0' } },
});
const images = positiveInt('--images', values.images);
const concurrency = positiveInt('--concurrency', values.concurrency);
const nice = Number(values.nice);
if (!Number.isInteger(nice) || nice < 0 || nice > 19) throw new Error(`--nice must be 0 to 19, got ${values.nice}`);
if (nice > 0) lowerProcessPriority(nice);
const sources = photoNames().map((name) => readFileSync(join(testImagesDir(), name)));
const compressor = new SharpImageCompressor({ format: parseFormat(values.format), ...(values.single && { renditionWidths: [1600] }) });

let next = 0;
async function lane(): Promise<void> {
  while (next < images) {
    const source = sources[next % sources.length] as Buffer;
    next += 1;
    await compressor.renditions(source);
  }
}

const cpuBefore = process.cpuUsage();
const start = performance.now();
await Promise.all(Array.from({ length: concurrency }, lane));
const seconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuBefore);
// maxRSS is in kB on Linux: the peak over the process's life, as VmHWM is for the worker.
const peakRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ images, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMb })}\n`);
