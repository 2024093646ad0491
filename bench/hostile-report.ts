/** Pure helpers of the hostile section: how abuse requests were answered, the result object, its markdown. */
import { failureReasons, probesIn, SLOW_MS, summarizeProbes, type ProbeSample, type ProbeSummary, type Window } from './probe-stats.js';
import { markdownTable, median, round1 } from './stats.js';
import { targetText } from './targets.js';

/** The abuses of issue 10, rows 1–3, in the order the section runs them. */
export const ABUSES = ['multipart', 'fat_list', 'uploads', 'file_reads'] as const;
export type AbuseName = (typeof ABUSES)[number];

/** How one abuse request ended: its status when an answer came, the error when it failed, or both. */
export interface Outcome {
  readonly status?: number;
  /** The `code` of a problem+json answer (`product.not_found`). */
  readonly code?: string;
  /** An error code (`UND_ERR_SOCKET`, `aborted`, …): before an answer, or while reading its body. */
  readonly error?: string;
  /** Body bytes of the answer read. */
  readonly bytes: number;
  readonly ms: number;
}

/** One abuse as the section measured it. */
export interface AbuseRun {
  readonly name: AbuseName;
  /** What was sent, for the reader: `POST /products/999999/images, 370,000 one-byte parts`. */
  readonly label: string;
  readonly issueRow: number;
  /** Body bytes of each request (0 for GETs). */
  readonly requestBytes: number;
  /** From the first request sent to the last answer. */
  readonly window: Window;
  readonly outcomes: readonly Outcome[];
  /** VmRSS when it began, VmHWM from then until /healthz was quick again, VmRSS then. */
  readonly rss: { readonly startMb: number; readonly peakMb: number; readonly endMb: number };
  /** Seconds from the last answer until /healthz was quick again; null when it never was. */
  readonly recoverySeconds: number | null;
}

/** How the service answered SIGTERM after the abuses. */
export interface ShutdownResult {
  readonly exited: boolean;
  /** Until it exited, or until it was killed when it did not. */
  readonly seconds: number;
  readonly code: number | null;
}

/** Everything the section measured, handed to buildHostileResult. */
export interface HostileMeasurements {
  /** Which entry point on which backends, for the reader. */
  readonly service: string;
  readonly probe: { readonly intervalMs: number; readonly timeoutMs: number };
  readonly samples: readonly ProbeSample[];
  readonly runs: readonly AbuseRun[];
  /** VmRSS once started, and right before the first abuse (after its products and the stored original). */
  readonly rss: { readonly afterStartMb: number; readonly baselineMb: number };
  readonly shutdown: ShutdownResult;
  /** The service's error log lines by message. */
  readonly serviceErrors: Readonly<Record<string, number>>;
  readonly seconds: number;
}

export interface AbuseResult {
  readonly name: AbuseName;
  readonly label: string;
  readonly issue_row: number;
  readonly requests: number;
  readonly request_mb: number;
  readonly seconds: number;
  /** Count by status and problem code (`404 product.not_found`), error (`UND_ERR_SOCKET`) or both (`200 then aborted`). */
  readonly answers: Readonly<Record<string, number>>;
  readonly answer_mb_median: number;
  readonly answer_s_median: number;
  readonly answer_s_max: number;
  readonly healthz: ProbeSummary;
  readonly rss_start_mb: number;
  readonly rss_peak_mb: number;
  readonly rss_end_mb: number;
  readonly recovery_s: number | null;
}

/** The `hostile` object of latest.json; `healthz_p99_ms` and `rss_growth_mb` carry the targets. */
export interface HostileResult {
  readonly service: string;
  readonly probe_interval_ms: number;
  readonly probe_timeout_ms: number;
  readonly abuses: readonly AbuseResult[];
  /** Over every probe in flight while any abuse ran. */
  readonly healthz: ProbeSummary;
  readonly healthz_p99_ms: number;
  /** Why the failed probes of `healthz` failed, by reason. */
  readonly probe_failures: Readonly<Record<string, number>>;
  readonly rss: { readonly after_start_mb: number; readonly baseline_mb: number; readonly peak_mb: number };
  /** The highest peak of the abuses over the baseline. */
  readonly rss_growth_mb: number;
  readonly shutdown: ShutdownResult;
  readonly service_errors: Readonly<Record<string, number>>;
  readonly seconds: number;
}

// 2^20 bytes, like the RSS figures (/proc's kB are 1024 bytes).
const MB = 2 ** 20;

/** The key an outcome is counted under: its status (and problem code), its error, or the status then the error. */
export function outcomeKey(outcome: Outcome): string {
  if (outcome.status === undefined) return outcome.error ?? 'no answer';
  const answer = outcome.code === undefined ? String(outcome.status) : `${outcome.status} ${outcome.code}`;
  return outcome.error === undefined ? answer : `${answer} then ${outcome.error}`;
}

/** Outcomes counted by key, the most frequent first. */
export function tally(outcomes: readonly Outcome[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const outcome of outcomes) counts.set(outcomeKey(outcome), (counts.get(outcomeKey(outcome)) ?? 0) + 1);
  return Object.fromEntries([...counts].sort(([a, x], [b, y]) => y - x || a.localeCompare(b)));
}

/** A tally as the report writes it: `404 × 3, UND_ERR_SOCKET × 1`. */
export const answersText = (answers: Readonly<Record<string, number>>): string =>
  Object.entries(answers)
    .map(([key, count]) => `${key} × ${count}`)
    .join(', ');

// VmHWM read at the end can trail an RSS read just after its reset by a page or two (the
// kernel batches its counters): every reading in the window bounds the peak from below.
const peakOf = (rss: AbuseRun['rss']) => Math.max(rss.startMb, rss.peakMb, rss.endMb);

function buildAbuse(run: AbuseRun, samples: readonly ProbeSample[], probe: HostileMeasurements['probe']): AbuseResult {
  if (run.outcomes.length === 0) throw new Error(`abuse ${run.name} sent no request`);
  const seconds = (ms: number) => round1(ms / 1000);
  return {
    name: run.name,
    label: run.label,
    issue_row: run.issueRow,
    requests: run.outcomes.length,
    request_mb: round1(run.requestBytes / MB),
    seconds: seconds(run.window.end - run.window.start),
    answers: tally(run.outcomes),
    answer_mb_median: round1(median(run.outcomes.map((outcome) => outcome.bytes)) / MB),
    answer_s_median: seconds(median(run.outcomes.map((outcome) => outcome.ms))),
    answer_s_max: seconds(Math.max(...run.outcomes.map((outcome) => outcome.ms))),
    healthz: summarizeProbes(probesIn(samples, [run.window]), probe),
    rss_start_mb: Math.round(run.rss.startMb),
    rss_peak_mb: Math.round(peakOf(run.rss)),
    rss_end_mb: Math.round(run.rss.endMb),
    recovery_s: run.recoverySeconds === null ? null : round1(run.recoverySeconds),
  };
}

/** The section's result: each abuse, /healthz over all of them, and the RSS peak over the baseline. */
export function buildHostileResult(m: HostileMeasurements): HostileResult {
  if (m.runs.length === 0) throw new Error('the hostile section ran no abuse');
  const during = probesIn(
    m.samples,
    m.runs.map((run) => run.window),
  );
  const healthz = summarizeProbes(during, m.probe);
  const peak = Math.round(Math.max(...m.runs.map((run) => peakOf(run.rss))));
  const baseline = Math.round(m.rss.baselineMb);
  return {
    service: m.service,
    probe_interval_ms: m.probe.intervalMs,
    probe_timeout_ms: m.probe.timeoutMs,
    abuses: m.runs.map((run) => buildAbuse(run, m.samples, m.probe)),
    healthz,
    healthz_p99_ms: healthz.p99_ms,
    probe_failures: failureReasons(during),
    rss: { after_start_mb: Math.round(m.rss.afterStartMb), baseline_mb: baseline, peak_mb: peak },
    rss_growth_mb: peak - baseline,
    shutdown: m.shutdown,
    service_errors: m.serviceErrors,
    seconds: Math.round(m.seconds),
  };
}

const shutdownText = ({ exited, seconds, code }: ShutdownResult) =>
  exited ? `exited ${code ?? 'on a signal'} ${round1(seconds)} s after SIGTERM` : `**still running ${round1(seconds)} s after SIGTERM**: killed`;

/** The hostile section in markdown: what each abuse got back, then /healthz and RSS per abuse, then the targets. */
export function renderHostileMarkdown(hostile: HostileResult): string {
  const probeRow = (label: string, h: ProbeSummary) => [label, h.p50_ms, h.p99_ms, h.p99_uncorrected_ms, h.max_ms, h.probes, h.over_1s, h.failed];
  const errors = Object.entries(hostile.service_errors);
  const failures = Object.entries(hostile.probe_failures);
  return [
    `### Hostile traffic (issue 10, rows 1–3): ${hostile.service}, ${hostile.seconds} s`,
    '',
    ...markdownTable(
      'llrlrrrr',
      ['Abuse', 'Row', 'Requests', 'Answers', 'Answer MB (median)', 'Slowest answer s', 'Abuse s', 'Quick again after s'],
      hostile.abuses.map((a) => [
        a.label,
        a.issue_row,
        a.request_mb > 0 ? `${a.requests} × ${a.request_mb} MB` : a.requests,
        answersText(a.answers),
        a.answer_mb_median,
        a.answer_s_max,
        a.seconds,
        a.recovery_s ?? '**never**',
      ]),
    ),
    '',
    ...markdownTable(
      'lrrrrrrrrrr',
      ['/healthz during', 'p50 ms', 'p99 ms', 'p99 uncorrected', 'max ms', 'probes', '> 1 s', 'failed', 'RSS start MB', 'RSS peak MB', 'RSS end MB'],
      [
        ...hostile.abuses.map((a) => [...probeRow(a.name, a.healthz), a.rss_start_mb, a.rss_peak_mb, a.rss_end_mb]),
        [...probeRow('all abuses', hostile.healthz), hostile.rss.baseline_mb, hostile.rss.peak_mb, ''],
      ],
    ),
    '',
    `/healthz p99 over all abuses: ${hostile.healthz_p99_ms} ms (target ${targetText('hostile.healthz_p99_ms')} ms). ` +
      `RSS ${hostile.rss.after_start_mb} MB after start, ${hostile.rss.baseline_mb} MB before the first abuse (after creating its products ` +
      `and the stored original), peak ${hostile.rss.peak_mb} MB: growth ${hostile.rss_growth_mb} MB (target ${targetText('hostile.rss_growth_mb')} MB).`,
    '',
    `Probe: GET /healthz one at a time on one keep-alive connection, every ${hostile.probe_interval_ms} ms, from its own process. ` +
      `Percentiles count a slow answer also for the probes it held back (L − ${hostile.probe_interval_ms}, L − ${2 * hostile.probe_interval_ms}, … ms); ` +
      `a failed probe counts as slow, at least ${SLOW_MS / 1000} s (it waits up to ${hostile.probe_timeout_ms / 1000} s)` +
      (failures.length > 0 ? `; failed probes: ${failures.map(([reason, count]) => `${reason} × ${count}`).join(', ')}` : '') +
      '. An abuse lasts from its first request until /healthz is quick again (5 answers in a row within 50 ms). RSS peak: VmHWM, reset when each abuse begins.',
    '',
    `Shutdown after the abuses: ${shutdownText(hostile.shutdown)}.` +
      (errors.length > 0 ? ` Service error log lines: ${errors.map(([msg, count]) => `"${msg}" × ${count}`).join(', ')}.` : ''),
    '',
  ].join('\n');
}
