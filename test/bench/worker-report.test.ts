import { describe, expect, it } from 'vitest';
import type { Sample } from '../../bench/sample.js';
import { renderWorkerMarkdown, type WorkerBusyResult } from '../../bench/worker-report.js';

const sample = (rps: number, p50Ms: number, p99Ms: number): Sample => ({ rps, p50Ms, p99Ms });

describe('renderWorkerMarkdown', () => {
  const worker: WorkerBusyResult = {
    alone: sample(3000.4, 12, 30),
    busy: sample(2399.6, 15, 40),
    ratio: 0.8,
    images_per_busy_run: 42,
    rounds: [
      { alone: sample(3000, 12, 30), busy: sample(2400, 15, 40) },
      { alone: sample(3001, 12, 30), busy: sample(2399, 15, 40) },
    ],
  };
  const markdown = renderWorkerMarkdown(worker);

  it('says how many rounds the medians are over', () => {
    expect(markdown).toContain('### API while the image worker is busy (cached GET /products/:id, median of 2 rounds)');
  });

  it('has a row alone and a row busy, req/s rounded', () => {
    expect(markdown).toContain('| alone | 3000 | 12 | 30 |');
    expect(markdown).toContain('| worker busy | 2400 | 15 | 40 |');
  });

  it('states the ratio and the images finished during each busy run', () => {
    expect(markdown).toContain('busy / alone: 0.8× (the worker finished 42 images during each busy run)');
  });
});
