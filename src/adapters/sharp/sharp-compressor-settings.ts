import type { AvifOptions, JpegOptions, WebpOptions } from 'sharp';
import type { QualitySearch } from '../../domain/index.js';

/** The formats SharpImageCompressor can be configured to write. */
export type SharpOutputFormat = 'webp' | 'avif' | 'jpeg';

/** Format-specific encoder options, exactly as handed to sharp's `toFormat()`. */
export type SharpEncoding =
  | { readonly format: 'webp'; readonly options: WebpOptions }
  | { readonly format: 'avif'; readonly options: AvifOptions }
  | { readonly format: 'jpeg'; readonly options: JpegOptions };

/** What a caller may configure; every field has a default. */
export interface SharpCompressorOptions {
  /** Longest edge of the output in pixels; smaller images are never upscaled. Default 1600. */
  readonly maxEdge?: number;
  /** Default webp. */
  readonly format?: SharpOutputFormat;
  /** 1–100. Default webp 80, avif 50, jpeg 80 (mozjpeg). */
  readonly quality?: number;
  /** CPU spent encoding: webp 0–6 (default 4), avif 0–9 (default 2); not for jpeg. */
  readonly effort?: number;
  /** Largest width × height accepted, checked from the header before decoding. Default 50 MP. */
  readonly maxPixels?: number;
  /** Rasterize SVG (without a DOCTYPE, never fetching what it links). Default false: refused. */
  readonly allowSvg?: boolean;
  /** Widths of the renditions; the largest is also bounded by maxEdge. Default 320, 640, 1024, 1600. */
  readonly renditionWidths?: readonly number[];
  /** Formats of the renditions; `format` is always among them, first. Default just `format`. */
  readonly renditionFormats?: readonly RenditionFormat[];
  /**
   * Encode each rendition at the lowest quality whose SSIM to the resized source is at least this
   * (see encodeAtTarget), instead of at `quality`. 0 < target < 1; undefined: fixed `quality`.
   */
  readonly targetSsim?: number;
}

/** A format's quality search for its largest rendition, and for the smaller ones starting from the larger's choice. */
export interface RenditionSearches {
  readonly largest: QualitySearch;
  readonly smaller: QualitySearch;
}

/** The formats renditions may come in. */
export type RenditionFormat = 'webp' | 'avif';

/** The effective settings, so a benchmark can run bare sharp with exactly what the adapter uses. */
export interface SharpCompressorSettings {
  readonly maxEdge: number;
  readonly format: SharpOutputFormat;
  readonly quality: number;
  /** undefined for JPEG, whose encoder has no effort knob. */
  readonly effort: number | undefined;
  readonly maxPixels: number;
  readonly allowSvg: boolean;
  /** Truncated or undecodable pixel data aborts; decoder warnings (damaged but complete data) do not. */
  readonly failOn: 'error';
  readonly encoding: SharpEncoding;
  /** Tried in order only when `encoding` does not shrink the source (see pickRendition). */
  readonly fallbacks: readonly SharpEncoding[];
  /** Ascending, distinct, each at most maxEdge. */
  readonly renditionWidths: readonly number[];
  /** `encoding` for the widths below the largest: WebP at effort 2 at most (see SMALLER_EFFORT). */
  readonly smallerEncoding: SharpEncoding;
  /** The encoding of each rendition format after the primary one (`encoding`), in order. */
  readonly extraEncodings: readonly SharpEncoding[];
  /** How each format's renditions search their quality; undefined when quality is fixed. */
  readonly qualitySearch: Readonly<Record<SharpOutputFormat, RenditionSearches>> | undefined;
}

// WebP and JPEG at 82, not the usual 80: on ../shared/testdata/images 80 left the CMYK photo at
// SSIM 0.969 (WebP) and 0.9697 (JPEG); 82 lifts the lowest to 0.972 for 13 % more bytes (median
// output 0.145 of the source).
const DEFAULT_QUALITY = { webp: 82, avif: 50, jpeg: 82 } as const;
// AVIF effort 4 ran 5-9x slower than effort 2 here for files 12-27 % smaller: too dear by default.
const DEFAULT_EFFORT = { webp: 4, avif: 2 } as const;
const MAX_EFFORT = { webp: 6, avif: 9 } as const;
// The widths below the largest at WebP effort 2 instead of 4: 0.65 instead of 1.10 CPU-s over the
// test photos for 3.5 % more bytes on those, which brings the four widths to 1.5x the CPU of the
// single 1600 px encode instead of 1.8x.
const SMALLER_EFFORT = 2;
// A grid thumbnail (320), a phone's full width at 2x (640), a tablet or a desktop column (1024)
// and today's full size (1600). Four WebP encodes from one decode cost 1.6x the single 1600 px
// encode (0.231 vs 0.144 CPU-s per source on ../shared/testdata/images, see SMALLER_EFFORT).
const DEFAULT_WIDTHS = [320, 640, 1024, 1600] as const;
// Where each format's quality search looks, and where it starts for the largest rendition (about
// the median choice at SSIM 0.97 over ../shared/testdata/images). The largest rendition searches
// in up to four encodes to within 3; each smaller one starts at the quality the next larger chose
// (within 3 of its own answer on those photos) and tries one step of 4 up or down, so the whole
// set stays near the CPU of the fixed-quality set.
const QUALITY_RANGE = { webp: { min: 30, max: 95, guess: 75 }, avif: { min: 20, max: 80, guess: 45 }, jpeg: { min: 30, max: 95, guess: 75 } } as const;

/** The first quality a search tries for the largest rendition in `format`. */
export const firstGuess = (format: SharpOutputFormat): number => QUALITY_RANGE[format].guess;

function qualitySearch(target: number | undefined): SharpCompressorSettings['qualitySearch'] {
  if (target === undefined) return undefined;
  if (!(target > 0 && target < 1)) throw new RangeError(`SharpImageCompressor: targetSsim must be between 0 and 1, got ${target}`);
  const searchIn = (format: SharpOutputFormat): RenditionSearches => {
    const { min, max } = QUALITY_RANGE[format];
    return { largest: { target, min, max, maxProbes: 3, tolerance: 4, step: 8 }, smaller: { target, min, max, maxProbes: 2, tolerance: 4, step: 4 } };
  };
  return { webp: searchIn('webp'), avif: searchIn('avif'), jpeg: searchIn('jpeg') };
}

// WebP cannot encode an edge longer than 16383 px.
const MAX_EDGE = 16_383;

function checked(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`SharpImageCompressor: ${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

function encodings(format: SharpOutputFormat, quality: number, effort: number | undefined): SharpEncoding[] {
  // A quarter less quality: the second try when the configured encoding does not beat the source.
  const lower = Math.max(1, Math.round(quality * 0.75));
  if (format === 'jpeg') return [quality, lower].map((q) => ({ format, options: { quality: q, mozjpeg: true } }));
  if (format === 'avif') return [quality, lower].map((q) => ({ format, options: { quality: q, effort } }));
  // Lossless WebP is what wins on flat graphics, where lossy encodings bloat.
  return [
    { format, options: { quality, effort } },
    { format, options: { lossless: true, effort } },
    { format, options: { quality: lower, effort } },
  ];
}

/** Applies the defaults and rejects out-of-range values, so a bad configuration fails at startup. */
export function resolveSettings(options: SharpCompressorOptions = {}): SharpCompressorSettings {
  const format = options.format ?? 'webp';
  if (!Object.hasOwn(DEFAULT_QUALITY, format)) throw new RangeError(`SharpImageCompressor: unknown format ${String(format)}`);
  if (format === 'jpeg' && options.effort !== undefined) {
    throw new RangeError('SharpImageCompressor: effort applies to webp and avif only');
  }
  const quality = checked('quality', options.quality ?? DEFAULT_QUALITY[format], 1, 100);
  const effort =
    format === 'jpeg' ? undefined : checked('effort', options.effort ?? DEFAULT_EFFORT[format], 0, MAX_EFFORT[format]);
  const [encoding, ...fallbacks] = encodings(format, quality, effort) as [SharpEncoding, ...SharpEncoding[]];
  const maxEdge = checked('maxEdge', options.maxEdge ?? 1600, 1, MAX_EDGE);
  return {
    maxEdge,
    format,
    quality,
    effort,
    maxPixels: checked('maxPixels', options.maxPixels ?? 50_000_000, 1, Number.MAX_SAFE_INTEGER),
    allowSvg: options.allowSvg ?? false,
    failOn: 'error',
    encoding,
    fallbacks,
    renditionWidths: widthsOf(options.renditionWidths ?? DEFAULT_WIDTHS, maxEdge),
    smallerEncoding:
      encoding.format === 'webp' ? { format: 'webp', options: { ...encoding.options, effort: Math.min(effort ?? SMALLER_EFFORT, SMALLER_EFFORT) } } : encoding,
    extraEncodings: extraEncodings(format, options.renditionFormats ?? []),
    qualitySearch: qualitySearch(options.targetSsim),
  };
}

/** Distinct and ascending; widths above maxEdge are replaced by maxEdge itself. */
function widthsOf(widths: readonly number[], maxEdge: number): number[] {
  if (widths.length === 0) throw new RangeError('SharpImageCompressor: renditionWidths must list at least one width');
  const bounded = widths.map((width) => Math.min(checked('renditionWidths', width, 1, MAX_EDGE), maxEdge));
  return [...new Set(bounded)].sort((a, b) => a - b);
}

/** The other formats' default encodings, the primary format left out. */
function extraEncodings(primary: SharpOutputFormat, formats: readonly RenditionFormat[]): SharpEncoding[] {
  const extra = [...new Set(formats)].filter((format) => format !== primary);
  for (const format of extra) if (!Object.hasOwn(DEFAULT_EFFORT, format)) throw new RangeError(`SharpImageCompressor: unknown rendition format ${String(format)}`);
  return extra.map((format) => encodings(format, DEFAULT_QUALITY[format], DEFAULT_EFFORT[format])[0]!);
}
