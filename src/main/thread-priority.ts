import { readdirSync, readFileSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import type { ImageCompressor } from '../application/index.js';

/** The name libvips gives the threads that run its pipelines (most of a compression's CPU). */
export const LIBVIPS_THREAD = 'libvips worker';

interface Thread {
  readonly tid: number;
  readonly name: string;
}

/** This process's threads (Linux /proc/self/task); empty where there is no /proc. */
function threads(): Thread[] {
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return [];
  }
  return tids.flatMap((tid) => {
    try {
      return [{ tid: Number(tid), name: readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim() }];
    } catch {
      return []; // the thread ended meanwhile
    }
  });
}

/**
 * Lowers the CPU priority of every thread of this process to `nice`. On Linux a priority belongs
 * to a thread and a new thread inherits its creator's, so renicing them all (the main thread,
 * V8's and libuv's pools) covers the threads libvips starts later from them; elsewhere the
 * priority is the process's. Returns how many threads were set.
 */
export function lowerProcessPriority(nice: number): number {
  const all = threads();
  if (all.length === 0) {
    setPriority(0, nice);
    return 1;
  }
  return all.filter(({ tid }) => trySetPriority(tid, nice)).length;
}

/** Lowers the threads named `name` that are not yet at `nice` (Linux; nothing elsewhere). Returns how many. */
export function lowerThreadsNamed(name: string, nice: number): number {
  return threads().filter((thread) => thread.name === name && trySetPriority(thread.tid, nice)).length;
}

function trySetPriority(tid: number, nice: number): boolean {
  try {
    // A niced thread is left alone: raising it back needs privileges, and a lower one wants no change.
    if (getPriority(tid) >= nice) return false;
    setPriority(tid, nice);
    return true;
  } catch {
    return false; // the thread ended meanwhile
  }
}

/**
 * The compressor with libvips' threads lowered to `nice` after each run, for a process that also
 * serves the API: its own threads keep their priority, the compression yields to them. libvips
 * keeps its threads for reuse, so only the first run (and a pool that grows) runs at the old one.
 */
export function yieldingCompressor(compressor: ImageCompressor, nice: number): ImageCompressor {
  return {
    fingerprint: compressor.fingerprint,
    async renditions(source) {
      try {
        return await compressor.renditions(source);
      } finally {
        lowerThreadsNamed(LIBVIPS_THREAD, nice);
      }
    },
  };
}
