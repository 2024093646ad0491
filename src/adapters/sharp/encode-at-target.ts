import sharp, { type OutputInfo, type Sharp } from 'sharp';
import type { CompressedImage } from '../../application/index.js';
import { CONTENT_TYPES, chosenQuality, flatnessGuess, nextQuality, type FlatnessFit, type QualityProbe, type QualitySearch } from '../../domain/index.js';
import { lumaFlatness, lumaSsim } from './luma-ssim.js';
import type { DecodedSource } from './render-renditions.js';
import type { SharpEncoding } from './sharp-compressor-settings.js';

/** A rendition encoded at the lowest quality that meets the target, and that quality. */
export interface TargetedRendition {
  readonly image: CompressedImage;
  readonly quality: number;
  /** Encodes spent, the final one included. */
  readonly encodes: number;
  /** Every probe scored, in order. */
  readonly probes: readonly QualityProbe[];
  /**
   * Process CPU seconds spent encoding and scoring (decoding the output, its luma and lumaSsim);
   * meaningful only while nothing else runs in the process, as in the quality bench.
   */
  readonly cpu: { readonly encode_s: number; readonly score_s: number };
}

const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

interface Raw {
  readonly data: Buffer;
  readonly raw: DecodedSource['raw'];
}

const pipelineOf = ({ data, raw }: Raw): Sharp => sharp(data, { raw });

async function toRaw(pipeline: Sharp): Promise<Raw> {
  const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  return { data, raw: { width: info.width, height: info.height, channels: info.channels } };
}

/**
 * Luma as a viewer sees it: transparency flattened onto white, as a page shows it. Flattening an
 * opaque image changes nothing but costs a sixth of the decode, so only images with alpha do.
 */
const lumaOf = (pipeline: Sharp, alpha: boolean): Promise<Buffer> =>
  (alpha ? pipeline.flatten({ background: '#ffffff' }) : pipeline).greyscale().raw().toBuffer();

function encoder(encoding: SharpEncoding, quality: number) {
  return (pipeline: Sharp) => {
    // JPEG has no alpha: transparent areas become white, as on a product page, not black.
    const flat = encoding.format === 'jpeg' ? pipeline.flatten({ background: '#ffffff' }) : pipeline;
    return flat.toFormat(encoding.format, { ...encoding.options, quality }).toBuffer({ resolveWithObject: true });
  };
}

/**
 * Encodes `decoded` at `width` (never wider) in `encoding`'s format at the lowest quality whose
 * luma SSIM to the resized pixels is at least `search.target` (see nextQuality), starting at
 * `guess`: a quality, or a fit from the flatness of the resized pixels' luma (lumaFlatness), the
 * statistic the reference for scoring already provides. Every probe is a full encode of the rendition, scored whole, and the chosen one is
 * kept, so the search costs its probes and nothing more. Samples were tried and misjudged: a
 * centred crop is a product photo's busiest part (0.005 below the whole image's SSIM at one
 * quality), and a mosaic of tiles missed blurred backgrounds, choosing 8-10 quality too much.
 */
export async function encodeAtTarget(
  decoded: DecodedSource,
  width: number,
  encoding: SharpEncoding,
  search: QualitySearch,
  guess: number | FlatnessFit,
): Promise<TargetedRendition> {
  const resized = width < decoded.raw.width ? await toRaw(pipelineOf(decoded).resize({ width })) : decoded;
  const { width: w, height: h, channels } = resized.raw;
  // JPEG output has no alpha (flattened before encoding), WebP and AVIF keep the source's.
  const alpha = channels === 2 || channels === 4;
  const reference = await lumaOf(pipelineOf(resized), alpha);
  const start = typeof guess === 'number' ? guess : flatnessGuess(guess, lumaFlatness(reference, w, h));
  const encoded = new Map<number, { data: Buffer; info: OutputInfo }>();
  const probes: QualityProbe[] = [];
  const cpu = { encode_s: 0, score_s: 0 };
  const encode = async (quality: number) => {
    const before = cpuSeconds();
    const output = await encoder(encoding, quality)(pipelineOf(resized));
    cpu.encode_s += cpuSeconds() - before;
    return output;
  };
  for (let quality = nextQuality(search, probes, start); quality !== null; quality = nextQuality(search, probes, start)) {
    const output = await encode(quality);
    encoded.set(quality, output);
    const before = cpuSeconds();
    probes.push({ quality, score: lumaSsim(reference, await lumaOf(sharp(output.data), alpha), w, h) });
    cpu.score_s += cpuSeconds() - before;
  }
  const quality = chosenQuality(search, probes);
  // None passed: the range's maximum, which the search may not have tried.
  const { data, info } = encoded.get(quality) ?? (await encode(quality));
  return {
    image: { bytes: data, format: encoding.format, contentType: CONTENT_TYPES[encoding.format], width: info.width, height: info.height },
    quality,
    encodes: encoded.size + (encoded.has(quality) ? 0 : 1),
    probes,
    cpu,
  };
}
