import type { OutputFormat } from '../../domain/index.js';

export interface CompressedImage {
  readonly bytes: Uint8Array;
  readonly format: OutputFormat;
  readonly contentType: string;
  readonly width: number;
  readonly height: number;
}

/** Turns a source image into the stored rendition. */
export interface ImageCompressor {
  /**
   * Auto-orients, strips metadata, converts to sRGB, fits inside the configured edge and encodes.
   * The result is no larger than the source unless the source itself may not be served (wrong
   * orientation or size, metadata to strip), in which case the smallest fixed rendition wins.
   * Deterministic: the same bytes give the same output. Throws a permanent ImageFailure for
   * input it cannot or must not decode.
   */
  compress(source: Uint8Array): Promise<CompressedImage>;
}
