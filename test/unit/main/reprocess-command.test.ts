import { describe, expect, it } from 'vitest';
import { DisabledCache } from '../../../src/adapters/in-process/index.js';
import type { ImageBackfill } from '../../../src/application/index.js';
import { DEFAULT_REPROCESS_RATE, parseReprocessArgs, progressLine, REPROCESS_USAGE, runReprocessCommand } from '../../../src/main/reprocess-command.js';

describe('parseReprocessArgs', () => {
  it('reads --all or product ids, --rate and --dry-run', () => {
    expect(parseReprocessArgs(['--all'])).toEqual({ rate: DEFAULT_REPROCESS_RATE, dryRun: false });
    expect(parseReprocessArgs(['7', '3', '7', '--rate', '2.5', '--dry-run'])).toEqual({ productIds: [7, 3], rate: 2.5, dryRun: true });
  });

  it('answers anything else with the usage', () => {
    for (const args of [[], ['--all', '1'], ['0'], ['-1'], ['1.5'], ['x'], ['--all', '--rate'], ['--all', '--rate', '0'], ['--all', '--rate', 'fast'], ['--all', '--rate', '1e9'], ['--dry-run']]) {
      expect(() => parseReprocessArgs(args), args.join(' ')).toThrow(REPROCESS_USAGE);
    }
  });
});

describe('progressLine', () => {
  it('draws a bar with the counts, the pace and the time left', () => {
    expect(progressLine({ total: 100, checked: 50, queued: 20, seconds: 10 }, false)).toBe(
      '[############............] 50/100 images checked, 20 queued, 5.0 images/s, ETA 10 s',
    );
    expect(progressLine({ total: 0, checked: 0, queued: 0, seconds: 0 }, true)).toBe('[########################] 0/0 images checked, 0 to queue, 0.0 images/s, ETA ? s'.replace('? s', '?'));
  });
});

describe('runReprocessCommand', () => {
  it('summarizes what it queued and the rendition set it compared with', async () => {
    const backfill: ImageBackfill = {
      countDone: async () => 1,
      doneImages: async (_scope, afterId) => (afterId === 0 ? [{ id: 1, product_id: 5, version: 1, renditions: [], placeholder: null }] : []),
      requeue: async () => ({ queued: 1, products: [{ id: 5, user_id: 1, version: 2 }] }),
    };
    const lines: string[] = [];
    const text = await runReprocessCommand({ backfill, cache: new DisabledCache() }, { productIds: [5], rate: 100, dryRun: false }, {
      expected: { widths: [320, 1600], formats: ['webp', 'avif'] },
      progress: (line) => void lines.push(line),
      sleep: async () => undefined,
    });
    expect(text).toMatch(/^queued 1 of 1 done images lacking renditions \(320,1600 px in webp,avif\) in \d+\.\d s$/);
    expect(lines.at(-1)).toMatch(/1\/1 images checked, 1 queued/);
  });
});
