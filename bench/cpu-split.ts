/** Where a load's CPU went: the API process, PostgreSQL's processes and Redis', per request. */
import { readdir, readFile } from 'node:fs/promises';
import { clockTicks, cpuSeconds, parseCpuTicks } from './proc-stats.js';
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
