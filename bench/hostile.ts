/**
 * The hostile section (issue 10, rows 1–3): the process `npm start` runs (API and worker on the
 * embedded default, a fresh DATA_DIR) under abuse sent from this process, while a paced /healthz
 * probe runs in a process of its own and the service's RSS is read from /proc.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LIMITS } from '../src/domain/index.js';
import { loadConfig } from '../src/main/config.js';
import { spawnService, type SpawnedService } from '../test/support/spawn-service.js';
import { startChildScript } from './child-script.js';
import type { BenchContext, Mode } from './context.js';
import { fileBody, multipartType, tinyPartsBody } from './hostile-bodies.js';
import { abuseAgent, createFatProducts, createUser, largePng, quickAgain, send, sendAtOnce, storeOriginal, waitForImages } from './hostile-loads.js';
import { buildHostileResult, type AbuseName, type AbuseRun, type HostileResult, type Outcome, type ShutdownResult } from './hostile-report.js';
import type { ProbeSample } from './probe-stats.js';
import { peakRssMb, resetPeakRss, rssMb } from './proc-stats.js';
import { round1 } from './stats.js';
import { ADMIN_AUTHORIZATION } from '../test/support/admin-key.js';

export type { HostileResult } from './hostile-report.js';

/** Requests of each abuse (the issue's counts in full runs), and how long any abuse may last. */
const SETTINGS: Record<Mode, { multipart: number; parts: number; fatProducts: number; lists: number; uploads: number; reads: number; boundMs: number }> = {
  quick: { multipart: 1, parts: 370_000, fatProducts: 50, lists: 10, uploads: 15, reads: 10, boundMs: 120_000 },
  full: { multipart: 3, parts: 370_000, fatProducts: 200, lists: 30, uploads: 60, reads: 40, boundMs: 300_000 },
};
const PROBE_INTERVAL_MS = 15;
// A fresh catalog has no product with this id.
const MISSING = 999_999;
const RECOVERY_BOUND_MS = 120_000;
const UPLOAD_BOUNDARY = 'hostile-bench';
const SERVICE = '`src/main/server.ts` (API and worker in one process, as `npm start`) on the embedded default in a fresh DATA_DIR';

interface Abuse {
  readonly name: AbuseName;
  readonly issueRow: number;
  readonly label: string;
  readonly requestBytes: number;
  readonly count: number;
  readonly one: (signal: AbortSignal) => Promise<Outcome>;
}

const epochNow = () => performance.timeOrigin + performance.now();
const mb = (bytes: number) => `${round1(bytes / 2 ** 20)} MB`;
const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

/** The service's error log lines (pino levels 50 and 60) counted by message; everything else is drained unparsed. */
function countErrorLines(child: ChildProcess): Record<string, number> {
  const counts: Record<string, number> = {};
  let buffered = '';
  child.stdout?.removeAllListeners('data');
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (!/"level":(50|60)/.test(line)) continue;
      const msg = String((JSON.parse(line) as { msg?: unknown }).msg);
      counts[msg] = (counts[msg] ?? 0) + 1;
    }
  });
  return counts;
}

/** SIGTERM, then SIGKILL when the process is still there after `graceMs` (issue 10, row 12). */
async function stopWithin(service: SpawnedService, graceMs: number): Promise<ShutdownResult> {
  const { child } = service;
  if (!alive(child)) return { exited: true, seconds: 0, code: child.exitCode };
  const started = performance.now();
  const exited = once(child, 'exit') as Promise<[number | null]>;
  const timer = new AbortController();
  child.kill('SIGTERM');
  const code = await Promise.race([exited.then(([exitCode]) => exitCode), sleep(graceMs, 'timeout' as const, { signal: timer.signal })]);
  timer.abort();
  const seconds = round1((performance.now() - started) / 1000);
  if (code !== 'timeout') return { exited: true, seconds, code };
  child.kill('SIGKILL');
  await exited;
  return { exited: false, seconds, code: null };
}

/** One abuse, all its requests at once; the window runs until /healthz is quick again. */
async function runAbuse(service: SpawnedService, abuse: Abuse, boundMs: number): Promise<AbuseRun> {
  const pid = service.child.pid as number;
  await resetPeakRss(pid);
  const startMb = await rssMb(pid);
  const start = epochNow();
  const outcomes = await sendAtOnce(abuse.count, boundMs, abuse.one);
  const answered = epochNow();
  const recoverySeconds = await quickAgain(service.url, RECOVERY_BOUND_MS);
  if (!alive(service.child)) {
    throw new Error(`the service exited (${service.child.exitCode ?? service.child.signalCode}) during ${abuse.name}: ${service.stderr().slice(-2_000)}`);
  }
  const rss = { startMb, peakMb: await peakRssMb(pid), endMb: await rssMb(pid) };
  const end = answered + 1000 * (recoverySeconds ?? RECOVERY_BOUND_MS / 1000);
  const { name, label, issueRow, requestBytes } = abuse;
  return { name, label, issueRow, requestBytes, window: { start, end }, outcomes, rss, recoverySeconds };
}

/** Runs the section on a service of its own and stops it (SIGKILL when SIGTERM is not enough). */
export async function runHostile(ctx: BenchContext): Promise<HostileResult> {
  const began = performance.now();
  const settings = SETTINGS[ctx.mode];
  // The defaults `npm start` runs with: the upload limit and the shutdown grace period.
  const config = loadConfig({});
  const dataDir = await mkdtemp(join(tmpdir(), 'catalog-hostile-'));
  ctx.defer(() => rm(dataDir, { recursive: true, force: true }));
  // No DATABASE_URL, AMQP_URL, REDIS_URL or S3_BUCKET: PGlite, the in-process queue and cache, files under DATA_DIR.
  const service = await spawnService('server.ts', { DATA_DIR: dataDir, MALLOC_ARENA_MAX: '2' }, 60_000);
  ctx.defer(async () => {
    if (alive(service.child)) service.child.kill('SIGKILL');
  });
  const serviceErrors = countErrorLines(service.child);
  const pid = service.child.pid as number;
  const base = service.url;
  const afterStartMb = await rssMb(pid);
  // A probe waits as long as an abuse may last, so its longest wait is the longest freeze.
  const probeSettings = { intervalMs: PROBE_INTERVAL_MS, timeoutMs: settings.boundMs };
  const probe = startChildScript(ctx, 'healthz-probe.ts', [
    ...['--url', base],
    ...['--interval-ms', String(probeSettings.intervalMs), '--timeout-ms', String(probeSettings.timeoutMs)],
  ]);

  ctx.log(`hostile: ${settings.fatProducts} products at the field limits and one stored original`);
  const upload = fileBody(await largePng(config.IMAGE_MAX_BYTES), { filename: 'large.png', contentType: 'image/png' }, UPLOAD_BOUNDARY);
  const owner = await createUser(base, 'Hostile Owner');
  const fat = await createFatProducts(base, owner, settings.fatProducts);
  const original = await storeOriginal(base, await createUser(base, 'Hostile Uploader'), upload, UPLOAD_BOUNDARY);
  await waitForImages(base, [...fat, original.productId], settings.boundMs);
  await quickAgain(base, RECOVERY_BOUND_MS);
  const baselineMb = await rssMb(pid);

  const agent = abuseAgent(settings.boundMs);
  const tiny = tinyPartsBody(settings.parts);
  const imagesOfMissing = `${base}/products/${MISSING}/images`;
  const abuses: Abuse[] = [
    {
      name: 'multipart',
      issueRow: 1,
      label: `POST /products/${MISSING}/images: ${settings.parts.toLocaleString('en-US')} one-byte parts`,
      requestBytes: tiny.byteLength,
      count: settings.multipart,
      one: (signal) => send(agent, imagesOfMissing, { method: 'POST', headers: { 'content-type': multipartType('B'), ...ADMIN_AUTHORIZATION }, body: tiny, signal }),
    },
    {
      name: 'fat_list',
      issueRow: 2,
      label: `GET /products?user_id=U&limit=${LIMITS.listMaxLimit}: ${settings.fatProducts} products at the field limits`,
      requestBytes: 0,
      count: settings.lists,
      one: (signal) => send(agent, `${base}/products?user_id=${owner}&limit=${LIMITS.listMaxLimit}`, { method: 'GET', signal }),
    },
    {
      name: 'uploads',
      issueRow: 3,
      label: `POST /products/${MISSING}/images: a ${mb(upload.byteLength)} PNG`,
      requestBytes: upload.byteLength,
      count: settings.uploads,
      one: (signal) =>
        send(agent, imagesOfMissing, { method: 'POST', headers: { 'content-type': multipartType(UPLOAD_BOUNDARY), ...ADMIN_AUTHORIZATION }, body: upload, signal }),
    },
    {
      name: 'file_reads',
      issueRow: 3,
      label: `GET /files/<key>: the stored ${mb(upload.byteLength)} original`,
      requestBytes: 0,
      count: settings.reads,
      one: (signal) => send(agent, `${base}${original.path}`, { method: 'GET', signal }),
    },
  ];
  const runs: AbuseRun[] = [];
  for (const abuse of abuses) {
    ctx.log(`hostile: ${abuse.name}, ${abuse.count} at once`);
    const run = await runAbuse(service, abuse, settings.boundMs);
    runs.push(run);
    ctx.log(`hostile: ${abuse.name} answered in ${round1(Math.max(...run.outcomes.map((o) => o.ms)) / 1000)} s, peak RSS ${Math.round(run.rss.peakMb)} MB`);
  }
  await agent.close();
  const { samples } = (await probe.finish()) as { samples: [number, number, string | null][] };
  const shutdown = await stopWithin(service, config.SHUTDOWN_TIMEOUT_MS + 5_000);
  return buildHostileResult({
    service: SERVICE,
    probe: probeSettings,
    samples: samples.map(([sentAt, ms, failure]): ProbeSample => (failure === null ? { sentAt, ms, ok: true } : { sentAt, ms, ok: false, failure })),
    runs,
    rss: { afterStartMb, baselineMb },
    shutdown,
    serviceErrors,
    seconds: (performance.now() - began) / 1000,
  });
}
