import { describe, expect, it } from 'vitest';
import { parseMachineTicks } from '../../bench/proc-stats.js';
import { buildScalingResult, renderScalingMarkdown } from '../../bench/scaling-report.js';

const input = (loadAverage: number, machine: number) => ({
  cpus: 2,
  loadAverage,
  get: {
    connections: 100,
    durationSeconds: 15,
    one: { processes: 1, rps: 4000, p99Ms: 40, cores: { 'api 1': 0.9, redis: 0.1, bench: 0.6, machine: 1.7 } },
    two: { processes: 2, rps: 4400, p99Ms: 60, cores: { 'api 1': 0.5, 'api 2': 0.5, redis: 0.15, bench: 0.6, machine } },
  },
  images: {
    one: { processes: 1, images: 60, seconds: 10, imagesPerSecond: 6, cores: { 'worker 1': 1.6, machine: 1.8 } },
    two: { processes: 2, images: 60, seconds: 9.5, imagesPerSecond: 6.3, cores: { 'worker 1': 0.9, 'worker 2': 0.9, machine: 1.95 } },
  },
});

describe('the scaling section', () => {
  it('states each ratio and the cores the whole machine had busy with two processes', () => {
    const result = buildScalingResult(input(1, 1.9));
    expect(result).toMatchObject({ get_ratio: 1.1, images_ratio: 1.05, get_two_cores_total: 1.9, images_two_cores_total: 1.95 });
    expect(result.notes.some((note) => note.includes('2 APIs: 1.9 of 2 cores busy'))).toBe(true);
    expect(result.notes.some((note) => note.includes('Load average'))).toBe(false);
  });

  it('says when other work shared the machine, and not that it was full when it was not', () => {
    const result = buildScalingResult(input(9.5, 1.2));
    expect(result.notes.some((note) => note.startsWith('Load average 9.5 on 2 cores'))).toBe(true);
    expect(result.notes.some((note) => note.startsWith('2 APIs:'))).toBe(false);
  });

  it('renders a row per process count with a column per process, blank where a run had none', () => {
    const markdown = renderScalingMarkdown(buildScalingResult(input(1, 1.9)));
    expect(markdown).toContain('| API processes | req/s | p99 ms | api 1 | redis | bench | machine | api 2 |');
    expect(markdown).toContain('| 1 | 4000 | 40 | 0.9 | 0.1 | 0.6 | 1.7 | |');
    expect(markdown).toContain('| 2 | 6.3 | 9.5 | 0.9 | 1.95 | 0.9 |');
    expect(markdown).toContain('2 APIs / 1: 1.1× (1.9 cores busy); 2 workers / 1: 1.05× (1.95 cores busy).');
  });

  it('reads the machine\'s busy ticks without idle and iowait', () => {
    expect(parseMachineTicks('cpu  10 2 3 100 5 1 1 0 0 0\ncpu0 5 1 1 50 2 0 0 0 0 0\n')).toEqual({ busy: 17, total: 122 });
    expect(() => parseMachineTicks('intr 1 2 3')).toThrow(/no cpu line/);
  });
});
