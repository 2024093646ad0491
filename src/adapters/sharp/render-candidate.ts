import sharp from 'sharp';
import type { CompressedImage } from '../../application/index.js';
import { CONTENT_TYPES } from '../../domain/index.js';
import type { SharpCompressorSettings, SharpEncoding } from './sharp-compressor-settings.js';

/**
 * Decodes, auto-orients, fits inside maxEdge, converts to sRGB and encodes one candidate. Metadata
 * is dropped because sharp copies none unless asked (no keepMetadata, keepIccProfile or withExif).
 */
export async function renderCandidate(
  source: Uint8Array,
  settings: SharpCompressorSettings,
  encoding: SharpEncoding,
): Promise<CompressedImage> {
  // limitInputPixels repeats the header check inside libvips, in case a decoder disagrees with it.
  let pipeline = sharp(source, { failOn: settings.failOn, limitInputPixels: settings.maxPixels, pages: 1, page: 0 })
    .autoOrient()
    .resize({ width: settings.maxEdge, height: settings.maxEdge, fit: 'inside', withoutEnlargement: true });
  // JPEG has no alpha: transparent areas become white, as on a product page, not black.
  if (encoding.format === 'jpeg') pipeline = pipeline.flatten({ background: '#ffffff' });
  const { data, info } = await pipeline
    .toColourspace('srgb')
    .toFormat(encoding.format, encoding.options)
    .toBuffer({ resolveWithObject: true });
  return {
    bytes: data,
    format: encoding.format,
    contentType: CONTENT_TYPES[encoding.format],
    width: info.width,
    height: info.height,
  };
}
