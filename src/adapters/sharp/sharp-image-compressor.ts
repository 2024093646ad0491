import sharp from 'sharp';
import type { CompressedImage, CompressedRenditions, ImageCompressor } from '../../application/index.js';
import { inspectSource, type SourceInfo } from './inspect-source.js';
import { pickRendition } from './pick-rendition.js';
import { encodeAtTarget } from './encode-at-target.js';
import { decodeSource, encodeRendition, placeholderOf, type DecodedSource } from './render-renditions.js';
import { smallerGuess, type FlatnessFit } from '../../domain/index.js';
import { firstGuess, resolveSettings, type SharpCompressorOptions, type SharpCompressorSettings, type SharpEncoding } from './sharp-compressor-settings.js';
import { toImageFailure } from './to-image-failure.js';

// Bumped whenever the same settings would give other renditions, so older results are not reused.
const PIPELINE_REVISION = 1;

/**
 * ImageCompressor on sharp (libvips): header checks first, then one decode of the source into
 * pixels at the largest rendition's size, from which every rendition is encoded. Constructing one
 * sets sharp's process-wide thread pool and cache.
 */
export class SharpImageCompressor implements ImageCompressor {
  /** The effective settings, defaults applied. */
  readonly settings: SharpCompressorSettings;
  readonly fingerprint: string;
  readonly #onSearch: SharpCompressorOptions['onSearch'];

  constructor(options: SharpCompressorOptions = {}) {
    this.settings = resolveSettings(options);
    this.#onSearch = options.onSearch;
    const { maxEdge, encoding, fallbacks, renditionWidths, smallerEncoding, extraEncodings, qualitySearch } = this.settings;
    this.fingerprint = JSON.stringify({ revision: PIPELINE_REVISION, maxEdge, encoding, fallbacks, renditionWidths, smallerEncoding, extraEncodings, qualitySearch });
    // One libvips thread per image (already glibc's default, not musl's or macOS's): parallelism
    // comes from jobs in flight, which scale ~1.9x on two cores, without oversubscribing them.
    sharp.concurrency(1);
    // The operation cache only pays off for repeated identical pipelines, which a worker never
    // runs; without it idle RSS after 100 compressions measured 35-50 MB lower.
    sharp.cache(false);
  }

  /** The primary rendition alone: the largest, in the configured format (see pickRendition). */
  async compress(source: Uint8Array): Promise<CompressedImage> {
    const info = await inspectSource(source, this.settings);
    const quality = { chosen: firstGuess(this.settings.format) };
    return this.#failing(async () => this.#primary(source, info, await decodeSource(source, this.settings), quality));
  }

  async renditions(source: Uint8Array): Promise<CompressedRenditions> {
    const info = await inspectSource(source, this.settings);
    return this.#failing(async () => {
      const decoded = await decodeSource(source, this.settings);
      const quality = { chosen: firstGuess(this.settings.format) };
      const primary = await this.#primary(source, info, decoded, quality);
      // One at a time: a worker already runs several jobs in parallel, and each holds a decoded image.
      const smaller = this.settings.renditionWidths.filter((width) => width < decoded.raw.width).reverse();
      const renditions = await this.#chain(decoded, this.settings.smallerEncoding, smaller, primary, quality.chosen);
      for (const encoding of this.settings.extraEncodings) {
        renditions.push(...(await this.#chain(decoded, encoding, [decoded.raw.width, ...smaller])));
      }
      renditions.sort((a, b) => a.width - b.width || a.format.localeCompare(b.format));
      return { primary, renditions, placeholder: await placeholderOf(decoded) };
    });
  }

  /**
   * The largest rendition under the never-larger rule; the source itself qualifies only at its own
   * size. The configured encoding searches its quality when a target is set (the quality chosen
   * lands in `quality`, where the smaller renditions start); the fallbacks are fixed.
   */
  #primary(source: Uint8Array, info: SourceInfo, decoded: DecodedSource, quality: { chosen: number }): Promise<CompressedImage> {
    const sameSize = info.width === decoded.raw.width && info.height === decoded.raw.height;
    const encodings = [this.settings.encoding, ...this.settings.fallbacks] as const;
    return pickRendition(source, { ...info, keepable: info.keepable && sameSize }, encodings, async (encoding) => {
      if (encoding !== this.settings.encoding) return encodeRendition(decoded, decoded.raw.width, encoding);
      const encoded = await this.#encode(decoded, decoded.raw.width, encoding, this.#firstGuess(encoding), 'largest');
      quality.chosen = encoded.quality;
      return encoded.image;
    });
  }

  /** Where the search of a format's largest rendition starts (see RenditionSearches.firstGuess). */
  #firstGuess(encoding: SharpEncoding): number | FlatnessFit {
    return this.settings.qualitySearch?.[encoding.format].firstGuess ?? firstGuess(encoding.format);
  }

  /** One rendition: at the searched quality when a target is set (starting at `guess`), else as configured. */
  async #encode(decoded: DecodedSource, width: number, encoding: SharpEncoding, guess: number | FlatnessFit, size: 'largest' | 'smaller') {
    const search = this.settings.qualitySearch?.[encoding.format][size];
    const lossy = !('lossless' in encoding.options && encoding.options.lossless);
    if (search && lossy) {
      const targeted = await encodeAtTarget(decoded, width, encoding, search, guess);
      const { image, quality, encodes, probes, cpu } = targeted;
      this.#onSearch?.({ width: image.width, format: encoding.format, quality, encodes, probes, ...cpu });
      return targeted;
    }
    return { image: await encodeRendition(decoded, width, encoding), quality: encoding.options.quality ?? 0 };
  }

  /**
   * Encodes `widths` (descending) in one encoding; a rendition no smaller in bytes than the next
   * larger one kept (starting from `larger`) is dropped, since it would save a client nothing.
   */
  async #chain(
    decoded: DecodedSource,
    encoding: SharpEncoding,
    widths: readonly number[],
    larger?: CompressedImage,
    largerQuality?: number,
  ): Promise<CompressedImage[]> {
    const kept: CompressedImage[] = larger ? [larger] : [];
    let last = larger;
    let chosen = largerQuality;
    const rule = this.settings.qualitySearch?.[encoding.format].smallerGuess;
    for (const width of widths) {
      // A smaller rendition of the same source needs about the quality of the larger, or a little more.
      const guess = chosen === undefined ? this.#firstGuess(encoding) : rule ? smallerGuess(rule, chosen) : chosen;
      const encoded = await this.#encode(decoded, width, encoding, guess, chosen === undefined ? 'largest' : 'smaller');
      chosen = encoded.quality;
      const candidate = encoded.image;
      if (last && candidate.bytes.length >= last.bytes.length) continue;
      kept.push(candidate);
      last = candidate;
    }
    return kept;
  }

  async #failing<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw toImageFailure(error);
    }
  }

  /** Nothing to release: sharp holds no per-instance resources once the cache is off. */
  async close(): Promise<void> {}
}
