import { budget, type Budget } from './budget.js';

/** How the worker overlaps downloads and uploads with compression. */
export interface ImageStageOptions {
  /** Compressions at once (WORKER_CONCURRENCY): the CPU slots. */
  readonly cpuSlots: number;
  /** Source and output bytes held by all jobs at once (WORKER_MAX_BYTES_IN_FLIGHT). */
  readonly maxBytesInFlight: number;
  /** The largest source a download may bring (IMAGE_MAX_BYTES): what a download reserves before it starts. */
  readonly maxSourceBytes: number;
}

/**
 * The worker's two limits, shared by every job of one worker. More jobs are taken than there are
 * CPU slots, so the next sources download (and the last outputs upload) while the current ones
 * compress; memory is bounded by the bytes those jobs hold, not by how many there are.
 */
export interface ImageStages {
  /** One unit per compression running. */
  readonly cpu: Budget;
  /** Bytes: reserved before a download, shrunk to what arrived, then to the outputs until they are stored. */
  readonly bytes: Budget;
  readonly maxSourceBytes: number;
}

export function imageStages(options: ImageStageOptions): ImageStages {
  return { cpu: budget(options.cpuSlots), bytes: budget(options.maxBytesInFlight), maxSourceBytes: options.maxSourceBytes };
}
