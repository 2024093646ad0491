import type { CompressedImage } from '../../application/index.js';
import { CONTENT_TYPES, type OutputFormat } from '../../domain/index.js';
import type { SharpEncoding } from './sharp-compressor-settings.js';
import type { SourceInfo } from './inspect-source.js';

/**
 * The never-larger rule. The configured encoding wins whenever it is smaller than the source.
 * Otherwise every fallback is encoded too and the smallest candidate wins if it beats the source;
 * failing that, a source that is already a valid rendition (see SourceInfo.keepable) is stored as
 * is, and any other source gets the smallest candidate: orienting, shrinking and stripping
 * metadata outrank a few bytes. Ties go to the earlier encoding, so the choice is deterministic.
 */
export async function pickRendition(
  source: Uint8Array,
  info: SourceInfo,
  [encoding, ...fallbacks]: readonly [SharpEncoding, ...SharpEncoding[]],
  render: (encoding: SharpEncoding) => Promise<CompressedImage>,
): Promise<CompressedImage> {
  let smallest = await render(encoding);
  if (smallest.bytes.length < source.length) return smallest;
  // One at a time: a worker already runs several jobs in parallel, and each holds a decoded image.
  for (const fallback of fallbacks) {
    const candidate = await render(fallback);
    if (candidate.bytes.length < smallest.bytes.length) smallest = candidate;
  }
  if (smallest.bytes.length < source.length || !info.keepable) return smallest;
  // keepable implies a storable format, which is always an OutputFormat.
  const format = info.format as OutputFormat;
  return { bytes: source, format, contentType: CONTENT_TYPES[format], width: info.width, height: info.height };
}
