/**
 * Quality targeting: the lowest encoder quality whose output still scores at least a target
 * similarity (SSIM) to what was encoded, found in a few encodes. Scores grow with quality but
 * not evenly (flat near the top, steep in the middle), so the search interpolates between the
 * closest quality known to pass and the closest known to fail, and steps up while only failures
 * are known (down while only passes are, unless told to trust a pass). The first guess comes from
 * the image's flatness or a sibling rendition (flatnessGuess, smallerGuess). The encoding and the
 * scoring are the caller's; this only chooses.
 */

/** One encode tried: its quality and the score of its output. */
export interface QualityProbe {
  readonly quality: number;
  readonly score: number;
}

export interface QualitySearch {
  /** The lowest score accepted, 0 < target < 1. */
  readonly target: number;
  /** Qualities considered, integers, min ≤ max. */
  readonly min: number;
  readonly max: number;
  /** Encodes the search may spend before it settles. */
  readonly maxProbes: number;
  /** Stop once the passing and failing bounds are this close. */
  readonly tolerance: number;
  /** While only failing probes are known, how far the next one steps up from the highest. */
  readonly step: number;
  /**
   * While only passing probes are known, how far the next one steps down from the lowest; 0: a
   * pass with no failure below it ends the search (the guess is trusted not to overshoot much).
   */
  readonly stepDown: number;
}

/** The closest passing quality above and failing quality below the target, of the probes so far. */
function bounds(search: QualitySearch, probes: readonly QualityProbe[]) {
  let pass: QualityProbe | undefined;
  let fail: QualityProbe | undefined;
  for (const probe of probes) {
    if (probe.score >= search.target) {
      if (!pass || probe.quality < pass.quality) pass = probe;
    } else if (!fail || probe.quality > fail.quality) fail = probe;
  }
  return { pass, fail };
}

const clamp = (quality: number, low: number, high: number) => Math.min(high, Math.max(low, Math.round(quality)));

/**
 * The quality to encode next, or null when the search is over: the probes ran out, the bounds
 * met within `tolerance`, or the range's end has been tried on the side that is still open.
 * `guess` is where to start (from the image's own statistics or a sibling rendition).
 */
export function nextQuality(search: QualitySearch, probes: readonly QualityProbe[], guess: number): number | null {
  if (probes.length >= search.maxProbes) return null;
  if (probes.length === 0) return clamp(guess, search.min, search.max);
  const { pass, fail } = bounds(search, probes);
  if (pass && fail) {
    if (pass.quality - fail.quality <= search.tolerance) return null;
    // Linear between the two: scores are close to linear over a short span.
    const at = fail.quality + ((search.target - fail.score) / (pass.score - fail.score)) * (pass.quality - fail.quality);
    return clamp(at, fail.quality + 1, pass.quality - 1);
  }
  if (pass) return pass.quality === search.min || search.stepDown === 0 ? null : clamp(pass.quality - search.stepDown, search.min, pass.quality - 1);
  return fail!.quality === search.max ? null : clamp(fail!.quality + search.step, fail!.quality + 1, search.max);
}

/**
 * The quality to keep after the search: the lowest that passed, or the range's maximum when none
 * did (the best this encoder offers within the range).
 */
export function chosenQuality(search: QualitySearch, probes: readonly QualityProbe[]): number {
  return bounds(search, probes).pass?.quality ?? search.max;
}

/**
 * How a first quality follows from an image's flatness (the mean over SSIM windows of
 * C2 / (2σ² + C2): 1 for a flat image, towards 0 for a busy one): `floor` at `knee` and above,
 * rising towards `floor + span` as the image gets busier, `scale` the flatness over which it
 * covers 63 % of that span, plus `margin` below the knee, so that a guess a little short of
 * the answer still passes more often than not. Flat pixels are where an encoder's error shows in
 * SSIM (a small error in a window of small variance costs a lot), so the busier the image the
 * higher the quality a target needs.
 */
export interface FlatnessFit {
  readonly floor: number;
  readonly span: number;
  readonly knee: number;
  readonly scale: number;
  readonly margin: number;
}

export function flatnessGuess(fit: FlatnessFit, flatness: number): number {
  if (flatness >= fit.knee) return fit.floor;
  return fit.floor + fit.span * (1 - Math.exp(-(fit.knee - flatness) / fit.scale)) + fit.margin;
}

/**
 * Where a smaller rendition starts from the quality its next larger one chose: that quality
 * plus `add` (at most `cap`, never below the larger's) once it is at least `from`, since a
 * busy image's smaller widths need a little more; below `from` the same.
 */
export interface SmallerGuess {
  readonly from: number;
  readonly add: number;
  readonly cap: number;
}

export function smallerGuess(rule: SmallerGuess, larger: number): number {
  return larger >= rule.from ? Math.max(larger, Math.min(rule.cap, larger + rule.add)) : larger;
}
