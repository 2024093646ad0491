import { createHash } from 'node:crypto';
import type { CompressedImage, CompressedRenditions, FetchedImage, ImageCompressor, ImageFetcher, UploadSource } from '../../src/application/index.js';
import { ok, permanentFailure, transientFailure, type ImageFailure } from '../../src/domain/index.js';

/** One scripted answer of the fake fetcher: bytes, or a failure to throw. */
export type FetchScript = Uint8Array | ImageFailure | Error;

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A tiny byte string that sniffs as PNG, distinct per `seed`. */
export const pngBytes = (seed: string): Uint8Array => new Uint8Array([...PNG_MAGIC, ...new TextEncoder().encode(seed)]);

/** An ImageFetcher answering from per-URL scripts (the last answer repeats); counts calls. */
export class ScriptedFetcher implements ImageFetcher {
  readonly calls: string[] = [];
  readonly #scripts = new Map<string, FetchScript[]>();

  script(url: string, ...answers: FetchScript[]): this {
    this.#scripts.set(url, answers);
    return this;
  }

  async fetch(url: string): Promise<FetchedImage> {
    this.calls.push(url);
    const answers = this.#scripts.get(url);
    if (!answers || answers.length === 0) throw permanentFailure('image.not_found', `HTTP 404 from ${url}`);
    const answer = (answers.length > 1 ? answers.shift() : answers[0]) as FetchScript;
    if (answer instanceof Error) throw answer;
    return { bytes: answer, format: 'png' };
  }
}

/**
 * An ImageCompressor that "compresses" by prefixing a marker: deterministic, so the same source
 * gives the same key; `fail` makes the next calls throw.
 */
export class MarkerCompressor implements ImageCompressor {
  readonly fingerprint = 'marker';
  calls = 0;
  failure: Error | undefined;

  /** Adds a 20 × 15 rendition (the marker prefixed, so its key differs) to the 40 × 30 one. */
  halfSize = false;

  async renditions(source: Uint8Array): Promise<CompressedRenditions> {
    const primary = await this.compress(source);
    const small = { ...primary, bytes: new Uint8Array([0x53, 0x4d, ...primary.bytes]), width: 20, height: 15 };
    return { primary, renditions: this.halfSize ? [small, primary] : [primary], placeholder: { thumbhash: 'AAAA', color: '#102030' } };
  }

  async compress(source: Uint8Array): Promise<CompressedImage> {
    this.calls += 1;
    if (this.failure) throw this.failure;
    const bytes = new Uint8Array([0x52, 0x49, 0x46, 0x46, ...source.subarray(8)]);
    return { bytes, format: 'webp', contentType: 'image/webp', width: 40, height: 30 };
  }
}

export const unavailable = (status = 503) => transientFailure('image.unavailable', `HTTP ${status} from the source`);

/** An UploadSource over bytes in memory, as the multipart parser would hand them over; counts receives. */
export function uploadOf(bytes: Uint8Array) {
  let received = 0;
  const source: UploadSource & { readonly received: number } = {
    get received() {
      return received;
    },
    async receive(maxBytes) {
      received += 1;
      const kept = bytes.subarray(0, maxBytes + 1);
      const sha256 = createHash('sha256').update(kept).digest('hex');
      const body = { size: kept.byteLength, sha256, open: () => new Blob([new Uint8Array(kept)]).stream() };
      return ok({ size: kept.byteLength, head: kept.subarray(0, 4096), body });
    },
  };
  return source;
}
