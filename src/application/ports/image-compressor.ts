import type { OutputFormat, Placeholder } from '../../domain/index.js';

export interface CompressedImage {
  readonly bytes: Uint8Array;
  readonly format: OutputFormat;
  readonly contentType: string;
  readonly width: number;
  readonly height: number;
}

/** Every rendition of one source, and its placeholder. */
export interface CompressedRenditions {
  /** The largest rendition in the primary format: the image's `compressed_url`. */
  readonly primary: CompressedImage;
  /** Every rendition, `primary` included, sorted by width. */
  readonly renditions: readonly CompressedImage[];
  readonly placeholder: Placeholder;
}

/** Turns a source image into its stored renditions. */
export interface ImageCompressor {
  /**
   * Identifies the settings that shape the output (sizes, formats, qualities): the same source
   * with the same fingerprint gives the same renditions, so they may be reused.
   */
  readonly fingerprint: string;

  /**
   * Decodes the source once, auto-orients, strips metadata, converts to sRGB and encodes every
   * configured width (never upscaled, the largest inside the configured edge) in every configured
   * format, plus a placeholder. The primary rendition is no larger than the source unless the
   * source itself may not be served. Deterministic. Throws a permanent ImageFailure for input it
   * cannot or must not decode, or when any rendition fails to encode.
   */
  renditions(source: Uint8Array): Promise<CompressedRenditions>;
}
