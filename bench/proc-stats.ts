/** CPU time and RSS of another process, from Linux's /proc (the bench runs on Linux). */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';

/** utime + stime in clock ticks, from the text of /proc/<pid>/stat. */
export function parseCpuTicks(stat: string): number {
  // The command name (field 2) is in parentheses and may hold spaces or parentheses itself:
  // the fields after the last ')' start with the state (field 3); utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isInteger(utime) || !Number.isInteger(stime)) throw new Error(`unreadable /proc stat line: ${stat.slice(0, 80)}`);
  return utime + stime;
}

function statusKb(status: string, field: 'VmHWM' | 'VmRSS'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  if (!match) throw new Error(`no ${field} line in /proc status`);
  return Number(match[1]);
}

/** VmHWM (the peak resident set) in MB, from the text of /proc/<pid>/status. */
export const parsePeakRssMb = (status: string): number => statusKb(status, 'VmHWM') / 1024;

/** VmRSS (the resident set now) in MB, from the text of /proc/<pid>/status. */
export const parseRssMb = (status: string): number => statusKb(status, 'VmRSS') / 1024;

let ticksPerSecond: Promise<number> | undefined;

/** Clock ticks per second (`getconf CLK_TCK`), the unit of /proc's CPU times. */
export async function clockTicks(): Promise<number> {
  ticksPerSecond ??= promisify(execFile)('getconf', ['CLK_TCK']).then(({ stdout }) => {
    const ticks = Number(stdout.trim());
    if (!(ticks > 0)) throw new Error(`getconf CLK_TCK answered ${stdout}`);
    return ticks;
  });
  return ticksPerSecond;
}

/** CPU seconds (user + system) the process has used so far. */
export async function cpuSeconds(pid: number): Promise<number> {
  const [stat, ticks] = await Promise.all([readFile(`/proc/${pid}/stat`, 'utf8'), clockTicks()]);
  return parseCpuTicks(stat) / ticks;
}

/** The process's peak RSS so far, in MB. */
export async function peakRssMb(pid: number): Promise<number> {
  return parsePeakRssMb(await readFile(`/proc/${pid}/status`, 'utf8'));
}

/** The process's resident set now, in MB. */
export async function rssMb(pid: number): Promise<number> {
  return parseRssMb(await readFile(`/proc/${pid}/status`, 'utf8'));
}

/** Resets the process's VmHWM to its current RSS (Linux 4.0+; the process must be ours), so a later peak is one since now. */
export async function resetPeakRss(pid: number): Promise<void> {
  await writeFile(`/proc/${pid}/clear_refs`, '5');
}
