import { ImageFailure, permanentFailure } from '../../domain/index.js';

// Long enough for libvips' reason ("VipsJpeg: premature end of JPEG image"), short enough for a UI.
const MAX_DETAIL = 200;

/**
 * Translates what sharp throws into a permanent ImageFailure. sharp reads from memory here, so its
 * errors describe the input (bad header, truncated or undecodable data), which no retry can fix.
 */
export function toImageFailure(error: unknown): ImageFailure {
  if (error instanceof ImageFailure) return error;
  const detail = (error instanceof Error ? error.message : String(error)).split('\n', 1)[0]!.slice(0, MAX_DETAIL);
  if (/exceeds pixel limit/i.test(detail)) return permanentFailure('image.too_many_pixels', detail);
  if (/unsupported image format/i.test(detail)) return permanentFailure('image.not_an_image', detail);
  return permanentFailure('image.corrupt', `the image could not be decoded: ${detail}`);
}
