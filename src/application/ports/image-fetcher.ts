import type { SourceFormat } from '../../domain/index.js';

export interface FetchedImage {
  readonly bytes: Uint8Array;
  /** Sniffed from the bytes, never taken from Content-Type. */
  readonly format: SourceFormat;
}

/** Downloads images from URLs that anyone may have posted, without reaching private networks. */
export interface ImageFetcher {
  /**
   * Downloads `url` within the configured size, time and redirect limits. Throws ImageFailure:
   * permanent for a blocked address, 404/410 and other 4xx, too large, not an image, an
   * unsupported type; transient for timeouts, connection errors, 5xx and 429.
   */
  fetch(url: string, options?: { signal?: AbortSignal }): Promise<FetchedImage>;
}
