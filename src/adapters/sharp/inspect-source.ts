import sharp, { type Metadata } from 'sharp';
import { permanentFailure, sniffImageFormat, type SourceFormat } from '../../domain/index.js';
import type { SharpCompressorSettings } from './sharp-compressor-settings.js';
import { toImageFailure } from './to-image-failure.js';

/** What the header says about a source that passed every check made before decoding. */
export interface SourceInfo {
  readonly format: SourceFormat;
  readonly width: number;
  readonly height: number;
  /** The source itself is a valid rendition: it may be stored as is if no encoding beats it. */
  readonly keepable: boolean;
}

// HEIC/HEVC is sniffed but not decodable: sharp's prebuilt libvips carries no HEVC decoder.
const DECODABLE = new Set<SourceFormat>(['jpeg', 'png', 'webp', 'gif', 'avif', 'tiff', 'svg']);
const STORABLE = new Set<SourceFormat>(['jpeg', 'png', 'webp', 'avif']);

function checkFormat(bytes: Uint8Array, settings: SharpCompressorSettings): SourceFormat {
  const format = sniffImageFormat(bytes);
  if (format === null) {
    throw permanentFailure('image.not_an_image', bytes.length === 0 ? 'the source is empty' : 'the source is not an image');
  }
  if (!DECODABLE.has(format) || (format === 'svg' && !settings.allowSvg)) {
    throw permanentFailure('image.unsupported_type', `${format} images are not accepted`);
  }
  // Entities are never needed in a product picture and are the door to XXE and entity bombs.
  if (format === 'svg' && /<!DOCTYPE/i.test(new TextDecoder().decode(bytes))) {
    throw permanentFailure('image.unsupported_type', 'SVG with a DOCTYPE is not accepted');
  }
  return format;
}

// Anything that would leak (EXIF/GPS, XMP, IPTC, profiles, PNG text) or need fixing rules the source out.
const isKeepable = (format: SourceFormat, meta: Metadata, settings: SharpCompressorSettings) =>
  STORABLE.has(format) &&
  Math.max(meta.width, meta.height) <= settings.maxEdge &&
  (meta.space === 'srgb' || meta.space === 'b-w') &&
  meta.depth === 'uchar' &&
  (meta.pages ?? 1) === 1 &&
  meta.exif === undefined &&
  meta.xmp === undefined &&
  meta.iptc === undefined &&
  !meta.hasProfile &&
  (meta.comments ?? []).length === 0;

/**
 * Sniffs the type from magic bytes and reads only the header, so a pixel bomb is refused before a
 * single pixel is decoded. Throws a permanent ImageFailure for anything that must not be decoded.
 */
export async function inspectSource(bytes: Uint8Array, settings: SharpCompressorSettings): Promise<SourceInfo> {
  const format = checkFormat(bytes, settings);
  // No pixel limit here: metadata() parses the header only, and the check below gives a clearer reason.
  const meta = await sharp(bytes, { failOn: settings.failOn, limitInputPixels: false })
    .metadata()
    .catch((error: unknown) => Promise.reject(toImageFailure(error)));
  if (meta.width * meta.height > settings.maxPixels) {
    const megapixels = (meta.width * meta.height) / 1e6;
    throw permanentFailure(
      'image.too_many_pixels',
      `${meta.width}x${meta.height} is ${megapixels.toFixed(1)} megapixels, over the limit of ${settings.maxPixels / 1e6}`,
    );
  }
  return { format, width: meta.width, height: meta.height, keepable: isKeepable(format, meta, settings) };
}
