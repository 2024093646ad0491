import { ImageFailure, transientFailure, type ImageWork } from '../domain/index.js';
import { within, type Hold } from './budget.js';
import type { ImageStages } from './image-stages.js';
import { storeAllReferenced, type ObjectLifecycleOptions } from './object-lifecycle.js';
import { productChanged, type ProductWriteCache } from './product-cache.js';
import { renditionObjects, sourceDigest } from './rendition-objects.js';
import type { CompressedRenditions, ImageCompressor, ImageFetcher, ImageJobs, JobOutcome, Logger, ObjectReferences, ObjectStore, PipelineMetrics, PipelineStage, Tracer } from './ports/index.js';
import type { Delivery, TaskOutcome } from './task-handler.js';
import { traced } from './traced.js';
import type { YieldGate } from './yield-to-api.js';

export interface ProcessImageDeps {
  readonly jobs: ImageJobs;
  readonly references: ObjectReferences;
  readonly fetcher: ImageFetcher;
  readonly compressor: ImageCompressor;
  readonly objects: Pick<ObjectStore, 'get' | 'put' | 'exists' | 'delete' | 'urlFor'>;
  readonly cache: ProductWriteCache;
  readonly logger: Logger;
  readonly lifecycle?: ObjectLifecycleOptions;
  /** Reuse the renditions of an identical source already done (default true); off, every source is compressed. */
  readonly dedupe?: boolean;
  /** Stage durations and job outcomes, for /metrics; nothing is recorded without it. */
  readonly metrics?: PipelineMetrics | undefined;
  /** A span per task and per stage, children of the causing request's; none without it. */
  readonly tracer?: Tracer | undefined;
  /** The worker's CPU slots and bytes in flight; without them only the consumer's prefetch bounds the jobs at once. */
  readonly stages?: ImageStages | undefined;
  /** Paces compressions while an API on this host is saturated (`yieldToApi`); without it they run at once. */
  readonly yielding?: Pick<YieldGate, 'run'> | undefined;
}

export interface ImageTask {
  readonly product_id: number;
  readonly image_id: number;
  readonly version: number;
}

const DONE: TaskOutcome = { type: 'done' };
const NO_REUSE = { type: 'none' } as const;
const since = (start: number) => Math.round(performance.now() - start);
const seconds = (start: number) => (performance.now() - start) / 1000;

/** Times `work` as `stage` when there are metrics to record it in, in a span of its own when traced. */
function timed<T>(deps: Pick<ProcessImageDeps, 'metrics' | 'tracer'>, stage: PipelineStage, work: () => Promise<T>): Promise<T> {
  return traced(deps.tracer, stage, {}, async () => {
    const start = performance.now();
    try {
      return await work();
    } finally {
      deps.metrics?.observeStage(stage, seconds(start));
    }
  });
}

async function readSource(deps: ProcessImageDeps, work: ImageWork, log: Logger): Promise<Uint8Array> {
  const start = performance.now();
  let bytes: Uint8Array;
  if (work.source_key) {
    const stored = await storage(deps.objects.get(work.source_key));
    if (!stored) throw new ImageFailure('image.source_missing', false, 'the uploaded original is no longer stored');
    bytes = stored.bytes;
  } else {
    bytes = (await deps.fetcher.fetch(work.source_url)).bytes;
  }
  log.info({ bytes: bytes.byteLength, ms: since(start), source: work.source_key ? 'upload' : 'url' }, 'image downloaded');
  return bytes;
}

/** Storage errors are infrastructure hiccups: retried, and shown to users without internals. */
async function storage<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch {
    throw transientFailure('storage.unavailable', 'object storage did not answer');
  }
}

/** The object store with every error turned into a transient `storage.unavailable`. */
const retriedStorage = (objects: ProcessImageDeps['objects']): ProcessImageDeps['objects'] => ({
  get: (key) => storage(objects.get(key)),
  put: (key, bytes, type) => storage(objects.put(key, bytes, type)),
  exists: (key) => storage(objects.exists(key)),
  delete: (key) => storage(objects.delete(key)),
  urlFor: (key) => objects.urlFor(key),
});

async function failed(
  deps: ProcessImageDeps,
  delivery: Delivery,
  task: ImageTask,
  work: ImageWork,
  error: unknown,
  log: Logger,
  ended: (outcome: JobOutcome) => void,
): Promise<TaskOutcome> {
  const failure = error instanceof ImageFailure ? error : null;
  const record = async (reason: string, final: boolean, releaseSource = false) => {
    const version = await deps.jobs.fail(task.image_id, task.version, reason, final, releaseSource);
    if (version !== null) await productChanged(deps.cache, { id: task.product_id, user_id: work.user_id, version });
  };
  if (failure && !failure.transient) {
    // Bytes that can never be processed are not kept (an upload's original is served from the
    // API's origin); a source that was merely unreachable stays for a replay.
    await record(failure.reason, true, true);
    log.warn({ class: 'permanent', code: failure.code, reason: failure.reason }, 'image job failed');
    ended('failed');
    return DONE;
  }
  // Unknown errors may quote internals (hosts, SQL): users see a generic reason, the log has it all.
  const reason = failure ? failure.reason : 'internal: processing failed';
  const final = delivery.attempt >= delivery.maxAttempts;
  await record(reason, final);
  ended(final ? 'failed' : 'retry');
  log.warn({ class: 'transient', reason, final, err: failure ? undefined : error }, final ? 'image job failed for good' : 'image job failed, will retry');
  return { type: 'retry', reason };
}

/**
 * One image job: download (or read the upload); reuse the renditions of an identical source
 * (same bytes, same settings) when one is done, or else compress into renditions, store each
 * under a content-addressed key, then one guarded update. A job for an image deleted, replaced or already done has no effect.
 * Permanent failures fail the image at once; transient ones ask for a retry, and on the last
 * attempt also fail the image so users see why.
 */
export async function processImage(deps: ProcessImageDeps, delivery: Delivery, task: ImageTask): Promise<TaskOutcome> {
  const log = deps.logger.child({
    task_id: delivery.id,
    product_id: task.product_id,
    image_id: task.image_id,
    attempt: delivery.attempt,
    request_id: delivery.request_id,
  });
  const ended = (outcome: JobOutcome) => deps.metrics?.observeJob(outcome);
  const work = await deps.jobs.start(task.image_id, task.version);
  if (!work) {
    log.info({}, 'image job skipped: the image was deleted, replaced or is done');
    ended('skipped');
    return DONE;
  }
  await productChanged(deps.cache, { id: work.product_id, user_id: work.user_id, version: work.product_version });
  log.info({ version: task.version }, 'image job started');
  // The largest source is reserved before the download (its size is known only once it arrived).
  const hold = await deps.stages?.bytes.acquire(deps.stages.maxSourceBytes);
  const job: Job = { deps, task, work, log, ended, hold };
  try {
    const compressed = await downloadAndCompress(job);
    if (compressed === null) return DONE;
    await store(job, compressed);
    return DONE;
  } catch (error) {
    return failed(deps, delivery, task, work, error, log, ended);
  } finally {
    hold?.release();
  }
}

/** One job's context, for the steps below. */
interface Job {
  readonly deps: ProcessImageDeps;
  readonly task: ImageTask;
  readonly work: ImageWork;
  readonly log: Logger;
  readonly ended: (outcome: JobOutcome) => void;
  readonly hold: Hold | undefined;
}

/**
 * The source's renditions, or null when an identical source's were reused. The source bytes are
 * not referenced past this function, so a job waiting on its uploads holds only its outputs.
 */
async function downloadAndCompress(job: Job): Promise<{ compressed: CompressedRenditions; digest: string } | null> {
  const { deps, task, work, log, ended, hold } = job;
  const source = await timed(deps, 'download', () => readSource(deps, work, log));
  hold?.shrink(source.byteLength);
  const start = performance.now();
  const digest = await sourceDigest(source, deps.compressor.fingerprint);
  const reuse = deps.dedupe === false ? NO_REUSE : await deps.jobs.reuse(task.image_id, task.version, digest);
  if (reuse.type !== 'none') {
    const applied = reuse.type === 'reused';
    if (applied) await productChanged(deps.cache, { id: task.product_id, user_id: work.user_id, version: reuse.product_version });
    // The same message as a compressed completion, so one query counts every finished job.
    log.info({ digest, applied, reused: true }, applied ? 'image job finished' : 'image job finished: the image changed meanwhile');
    ended(applied ? 'done' : 'superseded');
    return null;
  }
  // Waiting for a CPU slot, or for the turn while the worker yields, is not compression time.
  const timedCompress = () => timed(deps, 'compress', () => deps.compressor.renditions(source));
  const gate = deps.yielding;
  const compress = gate ? () => gate.run(timedCompress) : timedCompress;
  const compressed = deps.stages ? await within(deps.stages.cpu, 1, compress) : await compress();
  deps.metrics?.countCompression();
  // The source is dropped; until stored, the outputs are what this job holds.
  hold?.shrink(compressed.renditions.reduce((sum, rendition) => sum + rendition.bytes.byteLength, 0));
  const { primary } = compressed;
  log.info(
    { bytes_in: source.byteLength, bytes_out: primary.bytes.byteLength, width: primary.width, height: primary.height, format: primary.format, renditions: compressed.renditions.length, ms: since(start) },
    'image compressed',
  );
  return { compressed, digest };
}

/** Stores every rendition under its content-addressed key, then the one guarded update. */
async function store(job: Job, { compressed, digest }: { compressed: CompressedRenditions; digest: string }): Promise<void> {
  const { deps, task, work, log, ended } = job;
  const start = performance.now();
  const { objects: renditions, result } = await renditionObjects(compressed, digest, (objectKey) => deps.objects.urlFor(objectKey));
  const { key } = result;
  const stored = retriedStorage(deps.objects);
  // Each object store put counts as `store`, the guarded update as `commit`.
  const objects: ProcessImageDeps['objects'] = { ...stored, put: (...args) => timed(deps, 'store', () => stored.put(...args)) };
  const productVersion = await storeAllReferenced(
    { objects, references: deps.references },
    renditions,
    () => timed(deps, 'commit', () => deps.jobs.complete(task.image_id, task.version, result)),
    (version) => version !== null,
    deps.lifecycle,
  );
  const applied = productVersion !== null;
  log.info({ key, ms: since(start) }, 'image stored');
  if (applied) await productChanged(deps.cache, { id: task.product_id, user_id: work.user_id, version: productVersion });
  log.info({ key, applied }, applied ? 'image job finished' : 'image job finished: the image changed meanwhile');
  ended(applied ? 'done' : 'superseded');
}
