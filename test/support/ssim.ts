import sharp, { type Sharp } from 'sharp';
import { ssim } from 'ssim.js';

/** Decoded sRGB pixels, transparency flattened onto white (as a page would show them). */
export async function pixelsOf(pipeline: Sharp) {
  const { data, info } = await pipeline
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

/**
 * Full-resolution SSIM of two images of the same size. No downsampling: ssim.js' default scales
 * both down first, which flatters encoders.
 */
export async function ssimBetween(expected: Sharp, actual: Sharp): Promise<number> {
  return ssim(await pixelsOf(expected), await pixelsOf(actual), { ssim: 'fast', downsample: false }).mssim;
}

/** SSIM of an output against its source auto-oriented and resized to the output's dimensions. */
export async function ssimToSource(source: Uint8Array, output: { bytes: Uint8Array; width: number; height: number }) {
  const reference = sharp(source).autoOrient().resize(output.width, output.height, { fit: 'fill' });
  return ssimBetween(reference, sharp(output.bytes));
}
