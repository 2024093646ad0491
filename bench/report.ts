/** Pure helpers of the benchmark: medians over rounds, the results object and its markdown. */

export const VARIANTS = ['uncached', 'cached', 'ceiling'] as const;
export type Variant = (typeof VARIANTS)[number];

/** One autocannon run of one variant. */
export interface Sample {
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** Every variant measured once, in one round. */
export type Round = Readonly<Record<Variant, Sample>>;

export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly date: string;
  readonly mode: 'quick' | 'full';
}

export interface Settings {
  readonly products: number;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly rounds: number;
}

export interface Results {
  readonly machine: Machine;
  readonly settings: Settings;
  readonly get: {
    readonly cached_rps: number;
    readonly uncached_rps: number;
    readonly ceiling_rps: number;
    readonly cached_vs_uncached: number;
    readonly cached_vs_ceiling: number;
    readonly cached_p50_ms: number;
    readonly cached_p99_ms: number;
    readonly uncached_p50_ms: number;
    readonly uncached_p99_ms: number;
    readonly ceiling_p50_ms: number;
    readonly ceiling_p99_ms: number;
  };
}

/** The middle value, or the mean of the two middle values; throws on an empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] as number) + upper) / 2;
}

/** Per variant, the median of each measure over the rounds (each measure on its own). */
export function summarize(rounds: readonly Round[]): Round {
  const of = (variant: Variant): Sample => ({
    rps: median(rounds.map((round) => round[variant].rps)),
    p50Ms: median(rounds.map((round) => round[variant].p50Ms)),
    p99Ms: median(rounds.map((round) => round[variant].p99Ms)),
  });
  return { uncached: of('uncached'), cached: of('cached'), ceiling: of('ceiling') };
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

/** The object written to bench/results/latest.json. */
export function buildResults(summary: Round, machine: Machine, settings: Settings): Results {
  const { cached, uncached, ceiling } = summary;
  return {
    machine,
    settings,
    get: {
      cached_rps: Math.round(cached.rps),
      uncached_rps: Math.round(uncached.rps),
      ceiling_rps: Math.round(ceiling.rps),
      cached_vs_uncached: round2(cached.rps / uncached.rps),
      cached_vs_ceiling: round2(cached.rps / ceiling.rps),
      cached_p50_ms: cached.p50Ms,
      cached_p99_ms: cached.p99Ms,
      uncached_p50_ms: uncached.p50Ms,
      uncached_p99_ms: uncached.p99Ms,
      ceiling_p50_ms: ceiling.p50Ms,
      ceiling_p99_ms: ceiling.p99Ms,
    },
  };
}

/** A markdown report: the setup, one table row per variant, and the two ratios. */
export function renderMarkdown(results: Results): string {
  const { machine: m, settings: s, get: g } = results;
  const row = (label: string, rps: number, p50: number, p99: number) => `| ${label} | ${rps} | ${p50} | ${p99} |`;
  return [
    `GET /products/:id, ${s.products} products, ${s.connections} connections, ${s.durationSeconds} s per run, median of ${s.rounds} rounds (${m.mode})`,
    `${m.cpus} × ${m.cpuModel}, Node ${m.node}, ${m.date}`,
    '',
    '| Variant | req/s | p50 ms | p99 ms |',
    '| --- | ---: | ---: | ---: |',
    row('uncached (PostgreSQL)', g.uncached_rps, g.uncached_p50_ms, g.uncached_p99_ms),
    row('cached (Redis)', g.cached_rps, g.cached_p50_ms, g.cached_p99_ms),
    row('ceiling (/healthz)', g.ceiling_rps, g.ceiling_p50_ms, g.ceiling_p99_ms),
    '',
    `cached / uncached: ${g.cached_vs_uncached}×; cached / ceiling: ${g.cached_vs_ceiling}×`,
    '',
  ].join('\n');
}
