import { describe, expect, it } from 'vitest';
import { buildGetSection, renderGetMarkdown, summarize, type GetRun, type Round } from '../../bench/get-report.js';
import type { Sample } from '../../bench/sample.js';

const sample = (rps: number, p50Ms = 1, p99Ms = 2): Sample => ({ rps, p50Ms, p99Ms });
const round = (uncached: Sample, cached: Sample, ceiling: Sample): Round => ({ uncached, cached, ceiling });
const cpuUsPerRequest: GetRun['cpuUsPerRequest'] = {
  uncached: { api: 300, postgres: 150, redis: 0 },
  cached: { api: 200, postgres: 0, redis: 20 },
  ceiling: { api: 150, postgres: 0, redis: 0 },
};
const run = (summary: Round): GetRun => ({ settings: { connections: 50, durationSeconds: 5, rounds: 3 }, summary, rounds: [summary], cpuUsPerRequest });

describe('summarize', () => {
  it('takes each measure of each variant as its own median over the rounds', () => {
    const summary = summarize([
      round(sample(100, 10, 50), sample(900, 2, 9), sample(1000, 1, 5)),
      round(sample(300, 30, 70), sample(700, 4, 7), sample(1200, 3, 8)),
      round(sample(200, 20, 90), sample(800, 3, 8), sample(1100, 2, 6)),
    ]);
    expect(summary).toEqual({
      uncached: { rps: 200, p50Ms: 20, p99Ms: 70 },
      cached: { rps: 800, p50Ms: 3, p99Ms: 8 },
      ceiling: { rps: 1100, p50Ms: 2, p99Ms: 6 },
    });
  });

  it('throws without rounds', () => {
    expect(() => summarize([])).toThrow(/empty/);
  });
});

describe('buildGetSection', () => {
  const get = buildGetSection(run(round(sample(1000.4, 40, 90), sample(3333.6, 12, 30), sample(4000, 10, 25))));

  it('reports rounded req/s and the ratios to two decimals', () => {
    expect(get).toMatchObject({ uncached_rps: 1000, cached_rps: 3334, ceiling_rps: 4000, cached_vs_uncached: 3.33, cached_vs_ceiling: 0.83 });
  });

  it('carries p50 and p99 per variant, the settings and the CPU split', () => {
    expect(get).toMatchObject({ cached_p50_ms: 12, cached_p99_ms: 30, uncached_p50_ms: 40, uncached_p99_ms: 90, ceiling_p50_ms: 10, ceiling_p99_ms: 25 });
    expect(get.settings).toEqual({ connections: 50, durationSeconds: 5, rounds: 3 });
    expect(get.cpu_us_per_request).toEqual(cpuUsPerRequest);
  });

  it('keeps the documented figures first and the setup last, as latest.json has them', () => {
    expect(Object.keys(get).slice(0, 5)).toEqual(['cached_rps', 'uncached_rps', 'ceiling_rps', 'cached_vs_uncached', 'cached_vs_ceiling']);
    expect(Object.keys(get).slice(-2)).toEqual(['settings', 'cpu_us_per_request']);
  });
});

describe('renderGetMarkdown', () => {
  const get = buildGetSection(run(round(sample(1000, 40, 90), sample(3000, 12, 30), sample(4000, 10, 25))));
  const markdown = renderGetMarkdown(get, { products: 1_000, mode: 'quick' });

  it('has a table row per variant with req/s, p50 and p99', () => {
    expect(markdown).toContain('| Variant | req/s | p50 ms | p99 ms |');
    expect(markdown).toContain('| uncached (PostgreSQL) | 1000 | 40 | 90 |');
    expect(markdown).toContain('| cached (Redis) | 3000 | 12 | 30 |');
    expect(markdown).toContain('| ceiling (/healthz) | 4000 | 10 | 25 |');
  });

  it('states the setup and the ratios', () => {
    expect(markdown).toContain('### GET /products/:id (1000 products, 50 connections, 5 s per run, median of 3 rounds, quick)');
    expect(markdown).toContain('cached / uncached: 3×; cached / ceiling: 0.75×');
  });

  it('ends with the CPU split per variant, a blank line after the ratios', () => {
    expect(markdown).toContain('0.75×\n\nCPU µs per request (median of the rounds; the load generator not counted):\n');
    expect(markdown).toContain('| uncached | 300 | 150 | 0 | 450 |');
    expect(markdown).toContain('| cached | 200 | 0 | 20 | 220 |');
    expect(markdown.endsWith('| ceiling | 150 | 0 | 0 | 150 |\n')).toBe(true);
  });
});

describe('the cached GET with a user key', () => {
  const keyed = { summary: sample(2800, 13, 33), cpuUsPerRequest: { api: 214, postgres: 0, redis: 20 } };
  const get = buildGetSection({ ...run(round(sample(1000, 40, 90), sample(3000, 12, 30), sample(4000, 10, 25))), keyed });

  it("reports its req/s, latencies and the API's extra CPU over the anonymous cached GET", () => {
    expect(get.keyed).toEqual({ rps: 2800, p50_ms: 13, p99_ms: 33, api_cpu_us: 214, api_cpu_extra: 0.07, cpu: keyed.cpuUsPerRequest });
  });

  it('adds a row and the key-check line to the markdown; a run without it has neither', () => {
    const markdown = renderGetMarkdown(get, { products: 1_000, mode: 'quick' });
    expect(markdown).toContain('| cached, with a user key | 2800 | 13 | 33 |');
    expect(markdown).toContain('| cached, with a user key | 214 | 0 | 20 | 234 |');
    expect(markdown).toContain('Key check on the cached GET: API 214 µs per request, +7 % against the anonymous cached GET (target ≤ +10 %).');
    const without = renderGetMarkdown(buildGetSection(run(round(sample(1000), sample(3000), sample(4000)))), { products: 1_000, mode: 'quick' });
    expect(without).not.toContain('user key');
    const cheaper = buildGetSection({ ...run(round(sample(1000), sample(3000), sample(4000))), keyed: { ...keyed, cpuUsPerRequest: { api: 190, postgres: 0, redis: 20 } } });
    expect(renderGetMarkdown(cheaper, { products: 1_000, mode: 'quick' })).toContain('API 190 µs per request, −5 % against');
  });
});

describe('the local copies of the cached API', () => {
  const base = run(round(sample(1000), sample(3000), sample(4000)));

  it("says what share of the cached API's hits its local copies answered, and what they held", () => {
    const get = buildGetSection({ ...base, local: { hits: 2_000, local_hits: 1_500, entries: 900, bytes: 3 * 1024 * 1024 } });
    expect(get.local).toEqual({ hits: 2_000, local_hits: 1_500, entries: 900, bytes: 3 * 1024 * 1024 });
    expect(renderGetMarkdown(get, { products: 1_000, mode: 'quick' })).toContain(
      "Local copies (CACHE_LOCAL_MAX_BYTES) answered 75 % of the cached API's 2000 hits; 900 products held in 3.0 MiB at the end.",
    );
  });

  it('reports 0 % without hits, and no line for a run without copies', () => {
    const none = buildGetSection({ ...base, local: { hits: 0, local_hits: 0, entries: 0, bytes: 0 } });
    expect(renderGetMarkdown(none, { products: 1_000, mode: 'quick' })).toContain('answered 0 % of');
    const without = buildGetSection(base);
    expect(without.local).toBeUndefined();
    expect(renderGetMarkdown(without, { products: 1_000, mode: 'quick' })).not.toContain('Local copies');
  });
});
