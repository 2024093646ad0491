import type { Rendition } from './product.js';

/** Whether an `Accept` header lists `type` (exactly, or through `wildcards`) with a quality above 0. */
function accepts(accept: string, type: string, wildcards: readonly string[]): boolean {
  let wildcard: boolean | null = null;
  for (const entry of accept.split(',')) {
    const [range = '', ...parameters] = entry.split(';').map((part) => part.trim().toLowerCase());
    const q = parameters.find((parameter) => parameter.startsWith('q='));
    const allowed = q === undefined || Number(q.slice(2)) > 0;
    if (range === type) return allowed;
    if (wildcards.includes(range)) wildcard = (wildcard ?? false) || allowed;
  }
  return wildcard ?? false;
}

/**
 * AVIF only when named: `*\/*` and `image/*` come from browsers that decode no AVIF as well. WebP
 * when named or covered by a wildcard, or when there is no Accept header at all.
 */
function rank(format: string, accept: string | undefined): number {
  // Refused formats rank last, AVIF below WebP: an unacceptable WebP is still the likelier to display.
  if (format === 'avif') return accept !== undefined && accepts(accept, 'image/avif', []) ? 0 : 4;
  if (format === 'webp') return accept === undefined || accept.trim() === '' || accepts(accept, 'image/webp', ['image/*', '*/*']) ? 1 : 3;
  // JPEG or PNG (a source kept as it was): every client decodes them.
  return 2;
}

/**
 * The rendition to serve for a wanted width: the narrowest at least `width` wide (the widest
 * when none is, or when no width is asked), in the best format `accept` allows (AVIF, then WebP,
 * then JPEG or PNG); failing every format, the WebP anyway, as an `<img>` would get it. Null when
 * there are no renditions.
 */
export function chooseRendition(renditions: readonly Rendition[], width: number | undefined, accept: string | undefined): Rendition | null {
  if (renditions.length === 0) return null;
  const widths = renditions.map((rendition) => rendition.width);
  const wide = width === undefined ? [] : widths.filter((candidate) => candidate >= width);
  const target = wide.length > 0 ? Math.min(...wide) : Math.max(...widths);
  const candidates = renditions.filter((rendition) => rendition.width === target);
  return candidates.reduce((best, candidate) => (rank(candidate.format, accept) < rank(best.format, accept) ? candidate : best));
}
