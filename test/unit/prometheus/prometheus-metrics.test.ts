import { describe, expect, it } from 'vitest';
import { PrometheusMetrics } from '../../../src/adapters/prometheus/index.js';

describe('PrometheusMetrics', () => {
  it('renders request durations by route, image stages and outcomes, process metrics and its sources', async () => {
    const source = { metrics: () => [{ name: 'redis_cache_hits_total', help: 'Hits.', type: 'counter' as const, value: 7 }] };
    const metrics = new PrometheusMetrics({ sources: [source] });
    metrics.observeRequest('/products/:id', 'GET', 200, 0.003);
    metrics.observeRequest('/products/:id', 'GET', 200, 0.2);
    metrics.observeStage('compress', 0.4);
    metrics.observeJob('done');
    metrics.observeJob('done');
    metrics.observeJob('retry');
    const text = await metrics.render();
    expect(metrics.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(text).toMatch(/http_request_duration_seconds_count\{route="\/products\/:id",method="GET",status="200"\} 2/);
    expect(text).toMatch(/http_request_duration_seconds_bucket\{le="0.005",route="\/products\/:id",method="GET",status="200"\} 1/);
    expect(text).toMatch(/image_job_stage_duration_seconds_count\{stage="compress"\} 1/);
    expect(text).toMatch(/image_jobs_total\{outcome="done"\} 2/);
    expect(text).toMatch(/image_jobs_total\{outcome="retry"\} 1/);
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(text).toContain('# TYPE redis_cache_hits_total counter\nredis_cache_hits_total 7\n');
  });

  it('keeps one registry per instance, so two in one process do not collide', async () => {
    const [a, b] = [new PrometheusMetrics(), new PrometheusMetrics()];
    a.observeJob('failed');
    expect(await a.render()).toMatch(/image_jobs_total\{outcome="failed"\} 1/);
    expect(await b.render()).not.toMatch(/outcome="failed"/);
  });

  it('counts dead letters by task type', async () => {
    const metrics = new PrometheusMetrics();
    metrics.observeDeadLetter('image.process');
    expect(await metrics.render()).toMatch(/^tasks_dead_lettered_total\{type="image.process"\} 1$/m);
  });

  it('renders labelled samples under one HELP and TYPE, with label values escaped', async () => {
    const gauge = (queue: string, value: number) => ({ name: 'task_queue_messages', help: 'Depth.', type: 'gauge' as const, value, labels: { queue } });
    const metrics = new PrometheusMetrics({ sources: [{ metrics: async () => [gauge('work', 3), gauge('dead', 1), gauge('a"b\\c\nd', 0)] }] });
    const text = await metrics.render();
    expect(text).toContain(
      '# HELP task_queue_messages Depth.\n# TYPE task_queue_messages gauge\ntask_queue_messages{queue="work"} 3\ntask_queue_messages{queue="dead"} 1\ntask_queue_messages{queue="a\\"b\\\\c\\nd"} 0\n',
    );
  });

  it('leaves out a source that fails or does not answer in time, counts it, and still renders the rest', async () => {
    const ok = { metrics: () => [{ name: 'outbox_backlog_rows', help: 'Rows.', type: 'gauge' as const, value: 2 }] };
    const failing = { metrics: () => Promise.reject(new Error('broker gone')) };
    const throwing = {
      metrics: () => {
        throw new Error('not connected');
      },
    };
    const hanging = { metrics: () => new Promise<never>(() => undefined) };
    const metrics = new PrometheusMetrics({ sources: [failing, hanging, ok, throwing], sourceTimeoutMs: 20 });
    const text = await metrics.render();
    expect(text).toContain('outbox_backlog_rows 2\n');
    expect(text).toMatch(/^metrics_source_failures_total 3$/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
  });
});
