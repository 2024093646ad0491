import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SharpImageCompressor } from '../../../src/adapters/sharp/index.js';
import { LIBVIPS_THREAD, lowerProcessPriority, lowerThreadsNamed, yieldingCompressor } from '../../../src/main/thread-priority.js';
import { testImagesDir } from '../../support/testdata.js';

// This file's own process (vitest runs each file in a fork of its own) is reniced: first libvips'
// threads, then every thread. A priority only ever goes down here, as an unprivileged process can.

/** This process's threads: name and nice value, from /proc/self/task/<tid>/stat. */
function threads(): { main: boolean; name: string; nice: number }[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return { main: Number(tid) === process.pid, name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), nice: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]) };
  });
}

const photo = readFileSync(join(testImagesDir(), 'ladybird.jpg'));

describe('thread priorities', () => {
  it('lowers libvips threads after a compression and leaves the main thread alone', async () => {
    const inner = new SharpImageCompressor({ renditionWidths: [320] });
    const compressor = yieldingCompressor(inner, 3);
    expect(compressor.fingerprint).toBe(inner.fingerprint);
    const out = await compressor.renditions(photo);
    expect(out.primary.width).toBe(320);
    const vips = threads().filter((thread) => thread.name === LIBVIPS_THREAD);
    expect(vips.length).toBeGreaterThan(0);
    expect(vips.map((thread) => thread.nice)).toEqual(vips.map(() => 3));
    expect(threads().find((thread) => thread.main)?.nice).toBe(0);
    // Already at 3: nothing to change, and a higher priority is never asked for.
    expect(lowerThreadsNamed(LIBVIPS_THREAD, 3)).toBe(0);
    expect(lowerThreadsNamed(LIBVIPS_THREAD, 1)).toBe(0);
  });

  it('lowers every thread of the process, and threads started later inherit it', async () => {
    expect(lowerProcessPriority(5)).toBeGreaterThan(1);
    expect(threads().filter((thread) => thread.nice !== 5)).toEqual([]);
    // More rendition widths at once may start more libvips threads; none comes back at 0.
    await Promise.all([1, 2, 3].map(() => new SharpImageCompressor().renditions(photo)));
    expect(threads().filter((thread) => thread.nice !== 5)).toEqual([]);
    expect(lowerProcessPriority(5)).toBe(0);
  });
});
