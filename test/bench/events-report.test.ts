import { describe, expect, it } from 'vitest';
import { renderEventsMarkdown, type EventsResult } from '../../bench/events-report.js';
import { checkTargets } from '../../bench/targets.js';

const result: EventsResult = {
  events: 1_000,
  seconds: 2.5,
  per_second: 400,
  load_average: 1.25,
  get: { connections: 50, duration_s: 10, rounds: 3, alone_rps: 10_000, during_rps: 9_300, deliveries_during_median: 1_000, during_vs_alone: 0.93 },
};

describe('events section report', () => {
  it('renders the delivery rate, both GET runs and the ratio against its target', () => {
    const markdown = renderEventsMarkdown(result);
    expect(markdown).toContain('1000 `product.created` events (one bulk create) delivered in 2.5 s: 400 events/s.');
    expect(markdown).toContain('| alone | 10000 |');
    expect(markdown).toContain('| while 1000 deliveries run (1000 arrived during the run, median) | 9300 |');
    expect(markdown).toContain('During / alone: 0.93 (target ≥ 0.9).');
    expect(markdown).not.toContain('Cores used');
  });

  it('says how large each window\'s batch was and whether its deliveries outlasted the window', () => {
    const covered = (windows_covered: number) => renderEventsMarkdown({ ...result, get: { ...result.get, deliveries_during_median: 1_400, during_batch: 3_000, windows_covered } });
    expect(covered(3)).toContain('| while deliveries run (1400 arrived in the window, median; batches of 3000, still running at the end of every window) | 9300 |');
    expect(covered(2)).toContain('batches of 3000, still running at the end of 2 of 3 windows) | 9300 |');
  });

  it('shows the cores each process group used in both windows', () => {
    const markdown = renderEventsMarkdown({ ...result, cpu: { alone: { api: 1.1, worker: 0, other: 0.7 }, during: { api: 0.9, worker: 0.2, other: 0.8 } } });
    expect(markdown).toContain('| Cores used in the GET windows (median) | alone | during deliveries |');
    expect(markdown).toContain('| api | 1.1 | 0.9 |');
    expect(markdown).toContain('| worker | 0 | 0.2 |');
  });

  it('checks the ratio against the target of issue 14', () => {
    expect(checkTargets({ events: result })).toEqual([{ key: 'events.get.during_vs_alone', value: 0.93, bound: 0.9, direction: 'min', met: true }]);
    expect(checkTargets({ events: { get: { during_vs_alone: 0.81 } } })[0]?.met).toBe(false);
  });
});
