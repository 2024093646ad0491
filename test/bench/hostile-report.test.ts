import { describe, expect, it } from 'vitest';
import { answersText, buildHostileResult, outcomeKey, renderHostileMarkdown, tally, type AbuseRun, type HostileMeasurements } from '../../bench/hostile-report.js';
import type { ProbeSample } from '../../bench/probe-stats.js';

const MiB = 2 ** 20;

describe('outcomeKey and tally', () => {
  it('counts by status, by error, or by both, the most frequent first', () => {
    const outcomes = [
      { status: 404, code: 'product.not_found', bytes: 10, ms: 1 },
      { error: 'UND_ERR_SOCKET', bytes: 0, ms: 1 },
      { status: 404, code: 'product.not_found', bytes: 10, ms: 1 },
      { status: 200, error: 'aborted', bytes: 5, ms: 1 },
      { status: 413, code: 'request.too_large', error: 'UND_ERR_SOCKET', bytes: 5, ms: 1 },
    ];
    expect(outcomes.map(outcomeKey)).toEqual(['404 product.not_found', 'UND_ERR_SOCKET', '404 product.not_found', '200 then aborted', '413 request.too_large then UND_ERR_SOCKET']);
    expect(Object.entries(tally(outcomes))).toEqual([
      ['404 product.not_found', 2],
      ['200 then aborted', 1],
      ['413 request.too_large then UND_ERR_SOCKET', 1],
      ['UND_ERR_SOCKET', 1],
    ]);
    expect(answersText(tally(outcomes.slice(0, 2)))).toBe('404 product.not_found × 1, UND_ERR_SOCKET × 1');
  });
});

describe('buildHostileResult and renderHostileMarkdown', () => {
  // Probes every 10 ms from 0 to 10 s, all quick except one of 3 s sent at 2 s (in the first abuse).
  // Probe 500 (at 5 s, between the abuses) failed.
  const samples: ProbeSample[] = Array.from({ length: 1_000 }, (_, i) =>
    i === 500 ? { sentAt: i * 10, ms: 1, ok: false, failure: 'ECONNRESET' } : { sentAt: i * 10, ms: i === 200 ? 3_000 : 2, ok: true },
  );
  const run = (overrides: Partial<AbuseRun>): AbuseRun => ({
    name: 'multipart',
    label: 'POST /products/999999/images: 370,000 one-byte parts',
    issueRow: 1,
    requestBytes: 24 * MiB,
    window: { start: 1_000, end: 5_000 },
    outcomes: [
      { status: 404, bytes: MiB / 10, ms: 3_000 },
      { status: 404, bytes: MiB / 10, ms: 3_400 },
    ],
    rss: { startMb: 150.4, peakMb: 900.6, endMb: 700.2 },
    recoverySeconds: 0.44,
    ...overrides,
  });
  const measurements: HostileMeasurements = {
    service: 'server.ts on the embedded default',
    probe: { intervalMs: 10, timeoutMs: 60_000 },
    samples,
    runs: [
      run({}),
      run({ name: 'fat_list', label: 'GET /products', issueRow: 2, requestBytes: 0, window: { start: 6_000, end: 8_000 }, outcomes: [{ status: 200, bytes: 26 * MiB, ms: 900 }], rss: { startMb: 700, peakMb: 1_200, endMb: 800 }, recoverySeconds: null }),
    ],
    rss: { afterStartMb: 120.2, baselineMb: 149.6 },
    shutdown: { exited: false, seconds: 15, code: null },
    serviceErrors: { 'request failed': 2 },
    seconds: 61.4,
  };
  const result = buildHostileResult(measurements);

  it('summarises each abuse: its answers, sizes, times, /healthz in its window and its RSS', () => {
    const [multipart, list] = result.abuses;
    expect(multipart).toMatchObject({
      name: 'multipart',
      issue_row: 1,
      requests: 2,
      request_mb: 24,
      seconds: 4,
      answers: { '404': 2 },
      answer_mb_median: 0.1,
      answer_s_median: 3.2,
      answer_s_max: 3.4,
      rss_start_mb: 150,
      rss_peak_mb: 901,
      rss_end_mb: 700,
      recovery_s: 0.4,
    });
    expect(multipart?.healthz).toMatchObject({ probes: 400, over_1s: 1, max_ms: 3_000, p99_uncorrected_ms: 2 });
    expect(multipart?.healthz.p99_ms).toBeGreaterThan(2_000);
    expect(list).toMatchObject({ answers: { '200': 1 }, answer_mb_median: 26, recovery_s: null });
    expect(list?.healthz).toMatchObject({ probes: 200, p99_ms: 2, max_ms: 2 });
  });

  it('judges /healthz over every abuse window and the highest peak over the baseline', () => {
    expect(result.healthz.probes).toBe(600);
    expect(result.probe_failures).toEqual({});
    expect(result.healthz_p99_ms).toBe(result.healthz.p99_ms);
    expect(result.rss).toEqual({ after_start_mb: 120, baseline_mb: 150, peak_mb: 1_200 });
    expect(result.rss_growth_mb).toBe(1_050);
    expect(result.seconds).toBe(61);
  });

  it('names why probes failed during an abuse', () => {
    const late = buildHostileResult({ ...measurements, runs: [run({ window: { start: 4_000, end: 5_500 } })] });
    expect(late.probe_failures).toEqual({ ECONNRESET: 1 });
    expect(late.healthz).toMatchObject({ failed: 1, over_1s: 2 });
    expect(renderHostileMarkdown(late)).toContain('failed probes: ECONNRESET × 1.');
  });

  it('never reports a peak below an RSS read in the same window', () => {
    const trailing = buildHostileResult({ ...measurements, runs: [run({ rss: { startMb: 2_028, peakMb: 2_027, endMb: 1_307 } })] });
    expect(trailing.abuses[0]?.rss_peak_mb).toBe(2_028);
    expect(trailing.rss.peak_mb).toBe(2_028);
  });

  it('refuses a run without abuses or an abuse without requests', () => {
    expect(() => buildHostileResult({ ...measurements, runs: [] })).toThrow(/no abuse/);
    expect(() => buildHostileResult({ ...measurements, runs: [run({ outcomes: [] })] })).toThrow(/sent no request/);
  });

  it('renders what each abuse got back, /healthz and RSS per abuse, the targets, the shutdown and the error lines', () => {
    const markdown = renderHostileMarkdown(result);
    expect(markdown).toContain('### Hostile traffic (issue 10, rows 1–3): server.ts on the embedded default, 61 s');
    expect(markdown).toContain('| POST /products/999999/images: 370,000 one-byte parts | 1 | 2 × 24 MB | 404 × 2 | 0.1 | 3.4 | 4 | 0.4 |');
    expect(markdown).toContain('| GET /products | 2 | 1 | 200 × 1 | 26 | 0.9 | 2 | **never** |');
    expect(markdown).toContain('| fat_list | 2 | 2 | 2 | 2 | 200 | 0 | 0 | 700 | 1200 | 800 |');
    expect(markdown).toMatch(/\| all abuses \| [\d.]+ \| [\d.]+ \| 2 \| 3000 \| 600 \| 1 \| 0 \| 150 \| 1200 \| \|/);
    expect(markdown).toContain('(target ≤ 100 ms)');
    expect(markdown).toContain('growth 1050 MB (target ≤ 256 MB)');
    expect(markdown).toContain('**still running 15 s after SIGTERM**: killed');
    expect(markdown).toContain('"request failed" × 2');
  });
});
