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
  });

  it('checks the ratio against the target of issue 14', () => {
    expect(checkTargets({ events: result })).toEqual([{ key: 'events.get.during_vs_alone', value: 0.93, bound: 0.9, direction: 'min', met: true }]);
    expect(checkTargets({ events: { get: { during_vs_alone: 0.81 } } })[0]?.met).toBe(false);
  });
});
