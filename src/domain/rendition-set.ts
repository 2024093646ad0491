import type { Placeholder, Rendition } from './product.js';

/** The renditions the compressor is configured to make: every width (ascending) in every format, the primary first. */
export interface RenditionSet {
  readonly widths: readonly number[];
  readonly formats: readonly string[];
}

/** What the rule needs of a done image. */
export interface RenderedImage {
  readonly renditions: readonly Pick<Rendition, 'width' | 'format'>[];
  readonly placeholder: Placeholder | null;
}

/**
 * Whether a done image lacks renditions the configured set would give it: no placeholder (done
 * before renditions existed), a configured format missing, or a configured width below the
 * image's largest in that format missing (widths are never upscaled, so a small image's set is
 * shorter). A width the compressor dropped because it was no smaller in bytes than the next one
 * (tiny flat graphics) looks missing too: such an image is reprocessed by every run.
 */
export function lacksRenditions(image: RenderedImage, expected: RenditionSet): boolean {
  if (image.placeholder === null) return true;
  return expected.formats.some((format) => {
    const widths = new Set(image.renditions.filter((rendition) => rendition.format === format).map((rendition) => rendition.width));
    if (widths.size === 0) return true;
    const largest = Math.max(...widths);
    return expected.widths.some((width) => width < largest && !widths.has(width));
  });
}
