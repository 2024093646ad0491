import { describe, expect, it } from 'vitest';
import { parseCpuTicks, parsePeakRssMb, parseRssMb } from '../../bench/proc-stats.js';

// /proc/<pid>/stat up to stime: pid, (comm), state, ppid … minflt … majflt, then utime 1234, stime 56.
const stat = (comm: string) => `4242 (${comm}) S 1 4242 4242 0 -1 4194304 9000 0 3 0 1234 56 0 0 20 0 11 0 12345 1000000 5000`;

describe('parseCpuTicks', () => {
  it('adds utime and stime', () => {
    expect(parseCpuTicks(stat('node'))).toBe(1290);
  });

  it('finds the fields after a command name holding spaces and parentheses', () => {
    expect(parseCpuTicks(stat('node (worker) 2'))).toBe(1290);
  });

  it('throws on a line without the fields', () => {
    expect(() => parseCpuTicks('4242 (node) S 1')).toThrow(/unreadable/);
  });
});

describe('parsePeakRssMb', () => {
  it('reads VmHWM in MB', () => {
    expect(parsePeakRssMb('Name:\tnode\nVmPeak:\t 1200000 kB\nVmHWM:\t  276480 kB\nVmRSS:\t  200000 kB\n')).toBe(270);
  });

  it('throws when the line is missing', () => {
    expect(() => parsePeakRssMb('Name:\tnode\n')).toThrow(/VmHWM/);
  });
});

describe('parseRssMb', () => {
  it('reads VmRSS in MB, not the peak', () => {
    expect(parseRssMb('Name:\tnode\nVmPeak:\t 1200000 kB\nVmHWM:\t  276480 kB\nVmRSS:\t  204800 kB\n')).toBe(200);
  });

  it('throws when the line is missing', () => {
    expect(() => parseRssMb('Name:\tnode\nVmHWM:\t  276480 kB\n')).toThrow(/VmRSS/);
  });
});
