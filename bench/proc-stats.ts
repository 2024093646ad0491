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

/** Busy and total clock ticks of the whole machine, from the `cpu` line of /proc/stat's text. */
export function parseMachineTicks(stat: string): { busy: number; total: number } {
  const line = stat.split('\n').find((candidate) => candidate.startsWith('cpu '));
  if (!line) throw new Error('no cpu line in /proc/stat');
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.reduce((sum, value) => sum + value, 0);
  // Fields 4 and 5 are idle and iowait.
  return { busy: total - (ticks[3] ?? 0) - (ticks[4] ?? 0), total };
}

/** CPU seconds every process of the machine has used so far (idle and iowait excluded). */
export async function machineBusySeconds(): Promise<number> {
  const [stat, ticks] = await Promise.all([readFile('/proc/stat', 'utf8'), clockTicks()]);
  return parseMachineTicks(stat).busy / ticks;
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
