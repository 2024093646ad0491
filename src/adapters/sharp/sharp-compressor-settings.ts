import type { AvifOptions, JpegOptions, WebpOptions } from 'sharp';
import type { FlatnessFit, QualityProbe, QualitySearch, SmallerGuess } from '../../domain/index.js';

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
  /** Called after each rendition's quality search, with what it cost (for the quality bench). */
  readonly onSearch?: (search: QualitySearchTrace) => void;
}

/** One rendition's quality search: where it ended and what it spent. */
export interface QualitySearchTrace {
  readonly width: number;
  readonly format: SharpOutputFormat;
  readonly quality: number;
  readonly encodes: number;
  readonly probes: readonly QualityProbe[];
  /** Process CPU seconds encoding and scoring (see TargetedRendition.cpu). */
  readonly encode_s: number;
  readonly score_s: number;
}

/** A format's quality search for its largest rendition, and for the smaller ones starting from the larger's choice. */
export interface RenditionSearches {
  readonly largest: QualitySearch;
  readonly smaller: QualitySearch;
  /** Where the largest starts: a fixed quality, or one from its pixels' flatness (see flatnessGuess). */
  readonly firstGuess: number | FlatnessFit;
  /** Where each smaller one starts, from the quality the next larger chose. */
  readonly smallerGuess: SmallerGuess;
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
// Where each format's quality search looks and where it starts for the largest rendition.
const QUALITY_RANGE = { webp: { min: 30, max: 95, guess: 75 }, avif: { min: 20, max: 80, guess: 45 }, jpeg: { min: 30, max: 95, guess: 75 } } as const;
// WebP's first guess from the largest rendition's flatness (lumaFlatness), fitted by least squares
// to the lowest quality reaching SSIM 0.965 of the largest rendition of each photo of
// ../shared/testdata/images (bench/quality-fit.ts): 1.2 quality points RMS, 2.8 leaving each
// photo out (6 for ladybird.jpg, next to the knee). The six flattest (flatness 0.85-0.90) pass at the floor; the four busy
// ones (0.58-0.78) need 66-80. Nothing there lies between 0.78 and 0.85, so the knee is the least
// certain part. The margin of 2 makes a slightly short guess pass rather than cost a second
// encode of the largest width, the dearest probe there is.
const WEBP_FIT: FlatnessFit = { floor: QUALITY_RANGE.webp.min, span: 48, knee: 0.845, scale: 0.045, margin: 2 };
// A busy photo's smaller widths need 1-5 more quality than the next larger (at SSIM 0.965 on the
// test photos: 75 -> 78 -> 80 -> 82 for dune.jpg); a flat one's usually the same (30 -> 30).
const WEBP_SMALLER: SmallerGuess = { from: 60, add: 2, cap: 86 };

/** The first quality a search tries for the largest rendition in `format`, before any pixels are seen. */
export const firstGuess = (format: SharpOutputFormat): number => QUALITY_RANGE[format].guess;

function qualitySearch(target: number | undefined): SharpCompressorSettings['qualitySearch'] {
  if (target === undefined) return undefined;
  if (!(target > 0 && target < 1)) throw new RangeError(`SharpImageCompressor: targetSsim must be between 0 and 1, got ${target}`);
  // WebP: one probe each from a guess good enough to trust when it passes (no step down), and one
  // step up when it fails; 1.2 encodes per rendition on the test photos instead of 2.5.
  const webp: RenditionSearches = {
    largest: { target, min: 30, max: 95, maxProbes: 2, tolerance: 4, step: 8, stepDown: 0 },
    smaller: { target, min: 30, max: 95, maxProbes: 2, tolerance: 4, step: 14, stepDown: 0 },
    firstGuess: WEBP_FIT,
    smallerGuess: WEBP_SMALLER,
  };
  // AVIF and JPEG have no fit: a fixed start and a search both ways, each smaller width starting
  // at the larger's choice.
  const unfitted = (format: 'avif' | 'jpeg'): RenditionSearches => {
    const { min, max, guess } = QUALITY_RANGE[format];
    return {
      largest: { target, min, max, maxProbes: 3, tolerance: 4, step: 8, stepDown: 8 },
      smaller: { target, min, max, maxProbes: 2, tolerance: 4, step: 4, stepDown: 4 },
      firstGuess: guess,
      smallerGuess: { from: max, add: 0, cap: max },
    };
  };
  return { webp, avif: unfitted('avif'), jpeg: unfitted('jpeg') };
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
