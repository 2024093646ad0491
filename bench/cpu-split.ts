/** Where a load's CPU went: the API process, PostgreSQL's processes and Redis', per request. */
import { readdir, readFile } from 'node:fs/promises';
import { clockTicks, cpuSeconds, machineBusySeconds, parseCpuTicks } from './proc-stats.js';
import { median } from './stats.js';

/** CPU microseconds per request, by process group. */
export interface CpuSplit {
  readonly api: number;
  readonly postgres: number;
  readonly redis: number;
}

/** The command name of /proc/<pid>/stat (field 2, between the first '(' and the last ')'). */
export function commandOf(stat: string): string {
  return stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
}

/** CPU seconds used so far by every process whose command name is `command` (gone ones are missed). */
export async function cpuSecondsOf(command: string): Promise<number> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  const stats = await Promise.all(pids.map((pid) => readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')));
  // Redis names its process after its binary; PostgreSQL's backends keep `postgres`.
  const ticks = stats.filter((stat) => stat !== '' && commandOf(stat) === command).reduce((sum, stat) => sum + parseCpuTicks(stat), 0);
  return ticks / (await clockTicks());
}

/** Reads the three counters now; the returned function reads them again and divides by `requests`. */
export async function startCpuSplit(apiPid: number): Promise<(requests: number) => Promise<CpuSplit>> {
  const read = () => Promise.all([cpuSeconds(apiPid), cpuSecondsOf('postgres'), cpuSecondsOf('redis-server')]);
  const before = await read();
  return async (requests) => {
    const after = await read();
    const perRequest = (i: number) => Math.round(((after[i] as number) - (before[i] as number)) * 1e6 / Math.max(1, requests));
    return { api: perRequest(0), postgres: perRequest(1), redis: perRequest(2) };
  };
}

/** Each process group's median over several runs. */
export const medianSplit = (splits: readonly CpuSplit[]): CpuSplit => ({
  api: median(splits.map((split) => split.api)),
  postgres: median(splits.map((split) => split.postgres)),
  redis: median(splits.map((split) => split.redis)),
});

/** Where the machine's CPU went over one window, in cores (CPU seconds per second), by group. */
export type CpuShares = Readonly<Record<string, number>>;

/**
 * Reads every group's CPU-seconds counter and the machine's busy time now; the returned function
 * reads them again and answers each group's share of the window, plus `other` (the machine's busy
 * time no group accounts for: the load generator, the kernel, other tenants).
 */
export async function startCpuShares(groups: Readonly<Record<string, () => Promise<number>>>): Promise<() => Promise<CpuShares>> {
  const names = Object.keys(groups);
  const read = () => Promise.all([machineBusySeconds(), ...names.map((name) => (groups[name] as () => Promise<number>)())]);
  const began = performance.now();
  const before = await read();
  return async () => {
    const after = await read();
    const seconds = (performance.now() - began) / 1000;
    const used = after.map((value, i) => (value - (before[i] as number)) / seconds);
    const shares = Object.fromEntries(names.map((name, i) => [name, round2(used[i + 1] as number)]));
    const accounted = used.slice(1).reduce((sum, value) => sum + value, 0);
    return { ...shares, other: round2(Math.max(0, (used[0] as number) - accounted)) };
  };
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** Each group's median over several windows. */
export function medianShares(windows: readonly CpuShares[]): CpuShares {
  const names = Object.keys(windows[0] ?? {});
  return Object.fromEntries(names.map((name) => [name, median(windows.map((window) => window[name] ?? 0))]));
}
