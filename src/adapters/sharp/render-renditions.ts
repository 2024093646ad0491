import sharp from 'sharp';
import { rgbaToThumbHash } from 'thumbhash';
import type { CompressedImage } from '../../application/index.js';
import { CONTENT_TYPES, type Placeholder } from '../../domain/index.js';
import type { SharpCompressorSettings, SharpEncoding } from './sharp-compressor-settings.js';

/** A source decoded once: oriented, fitted to the largest rendition, sRGB, 8 bits per channel. */
export interface DecodedSource {
  readonly data: Buffer;
  readonly raw: { readonly width: number; readonly height: number; readonly channels: 1 | 2 | 3 | 4 };
}

/**
 * The one decode every rendition starts from. The resize happens in the decoding pipeline, so
 * JPEG and WebP shrink on load; the result is at most the largest rendition (about 6 MB at
 * 1600 × 1000 with alpha), whatever the source's size.
 */
export async function decodeSource(source: Uint8Array, settings: SharpCompressorSettings): Promise<DecodedSource> {
  const largest = settings.renditionWidths.at(-1)!;
  // limitInputPixels repeats the header check inside libvips, in case a decoder disagrees with it.
  const { data, info } = await sharp(source, { failOn: settings.failOn, limitInputPixels: settings.maxPixels, pages: 1, page: 0 })
    .autoOrient()
    .resize({ width: largest, height: settings.maxEdge, fit: 'inside', withoutEnlargement: true })
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return { data, raw: { width: info.width, height: info.height, channels: info.channels } };
}

/**
 * Encodes the decoded pixels at `width` (never wider than decoded). Metadata is dropped because
 * sharp copies none unless asked (no keepMetadata, keepIccProfile or withExif).
 */
export async function encodeRendition(decoded: DecodedSource, width: number, encoding: SharpEncoding): Promise<CompressedImage> {
  let pipeline = sharp(decoded.data, { raw: decoded.raw });
  if (width < decoded.raw.width) pipeline = pipeline.resize({ width });
  // JPEG has no alpha: transparent areas become white, as on a product page, not black.
  if (encoding.format === 'jpeg') pipeline = pipeline.flatten({ background: '#ffffff' });
  const { data, info } = await pipeline.toFormat(encoding.format, encoding.options).toBuffer({ resolveWithObject: true });
  return { bytes: data, format: encoding.format, contentType: CONTENT_TYPES[encoding.format], width: info.width, height: info.height };
}

const hex = (value: number) => Math.round(value).toString(16).padStart(2, '0');

/**
 * ThumbHash of the image fitted inside 100 px (ThumbHash's own limit) and its dominant colour,
 * both from that thumbnail: its histogram gives the same dominant bin as the full image's for a
 * fraction of the work. The colour is taken on white, as a page shows a transparent image.
 */
export async function placeholderOf(decoded: DecodedSource): Promise<Placeholder> {
  const { data, info } = await sharp(decoded.data, { raw: decoded.raw })
    .resize({ width: 100, height: 100, fit: 'inside', withoutEnlargement: true })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const thumbhash = Buffer.from(rgbaToThumbHash(info.width, info.height, data)).toString('base64');
  const { dominant } = await sharp(data, { raw: { width: info.width, height: info.height, channels: 4 } })
    .flatten({ background: '#ffffff' })
    .stats();
  return { thumbhash, color: `#${hex(dominant.r)}${hex(dominant.g)}${hex(dominant.b)}` };
}
