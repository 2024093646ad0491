import { describe, expect, it } from 'vitest';
import { chosenQuality, flatnessGuess, nextQuality, smallerGuess, type FlatnessFit, type QualityProbe, type QualitySearch } from '../../../src/domain/index.js';

const SEARCH: QualitySearch = { target: 0.97, min: 30, max: 95, maxProbes: 4, tolerance: 3, step: 10, stepDown: 10 };

/** Runs the search against a score curve, as the adapter does against an encoder. */
function run(search: QualitySearch, guess: number, scoreAt: (quality: number) => number) {
  const probes: QualityProbe[] = [];
  for (let quality = nextQuality(search, probes, guess); quality !== null; quality = nextQuality(search, probes, guess)) {
    probes.push({ quality, score: scoreAt(quality) });
  }
  return { probes: probes.map((probe) => probe.quality), chosen: chosenQuality(search, probes) };
}

// A photo's curve: SSIM rises with quality, steeply below 70, flatter above.
const photo = (quality: number) => 0.9 + 0.085 * (1 - Math.exp(-quality / 40));

describe('quality search', () => {
  it('starts at the guess, clamped to the range', () => {
    expect(nextQuality(SEARCH, [], 70)).toBe(70);
    expect(nextQuality(SEARCH, [], 10)).toBe(30);
    expect(nextQuality(SEARCH, [], 99.6)).toBe(95);
  });

  it('finds the lowest passing quality of a rising curve within the tolerance, in at most maxProbes', () => {
    const exact = Array.from({ length: 66 }, (_, i) => 30 + i).find((quality) => photo(quality) >= SEARCH.target)!;
    for (const guess of [40, 60, 75, 90]) {
      const { probes, chosen } = run(SEARCH, guess, photo);
      expect(probes.length).toBeLessThanOrEqual(SEARCH.maxProbes);
      expect(photo(chosen)).toBeGreaterThanOrEqual(SEARCH.target);
      expect(chosen - exact).toBeLessThanOrEqual(SEARCH.tolerance + SEARCH.step);
    }
    // From a good guess the bracket closes within the tolerance.
    const { chosen } = run(SEARCH, exact + 2, photo);
    expect(chosen - exact).toBeLessThanOrEqual(SEARCH.tolerance);
  });

  it('interpolates between the closest passing and failing probes', () => {
    const probes = [
      { quality: 60, score: 0.96 },
      { quality: 80, score: 0.98 },
    ];
    expect(nextQuality(SEARCH, probes, 60)).toBe(70);
    // Interpolation stays strictly inside the bracket.
    expect(nextQuality(SEARCH, [{ quality: 60, score: 0.9699 }, { quality: 80, score: 0.99 }], 60)).toBe(61);
    expect(nextQuality(SEARCH, [{ quality: 60, score: 0.9 }, { quality: 80, score: 0.9700001 }], 60)).toBe(79);
  });

  it('steps outward while only one side is known, and stops at the end of the range', () => {
    expect(nextQuality(SEARCH, [{ quality: 70, score: 0.99 }], 70)).toBe(60);
    expect(nextQuality(SEARCH, [{ quality: 70, score: 0.9 }], 70)).toBe(80);
    expect(nextQuality(SEARCH, [{ quality: 35, score: 0.99 }], 35)).toBe(30);
    expect(nextQuality(SEARCH, [{ quality: 30, score: 0.99 }], 30)).toBeNull();
    expect(nextQuality(SEARCH, [{ quality: 95, score: 0.9 }], 95)).toBeNull();
  });

  it('stops when the bracket is within the tolerance or the probes are spent', () => {
    expect(nextQuality(SEARCH, [{ quality: 70, score: 0.96 }, { quality: 73, score: 0.975 }], 70)).toBeNull();
    const spent = [50, 60, 70, 80].map((quality) => ({ quality, score: 0.9 }));
    expect(nextQuality(SEARCH, spent, 50)).toBeNull();
  });

  it('keeps the lowest passing quality, or the maximum when nothing passed', () => {
    expect(chosenQuality(SEARCH, [{ quality: 80, score: 0.98 }, { quality: 70, score: 0.971 }, { quality: 60, score: 0.95 }])).toBe(70);
    expect(chosenQuality(SEARCH, [{ quality: 80, score: 0.9 }])).toBe(95);
    expect(run(SEARCH, 70, () => 0.5)).toEqual({ probes: [70, 80, 90, 95], chosen: 95 });
    // Every probe passing: as low as the probes reached.
    expect(run(SEARCH, 70, () => 0.999)).toEqual({ probes: [70, 60, 50, 40], chosen: 40 });
  });

  it('with no step down, trusts a passing probe unless a failure below it is known', () => {
    const trusting = { ...SEARCH, stepDown: 0 };
    expect(nextQuality(trusting, [{ quality: 70, score: 0.99 }], 70)).toBeNull();
    // A failure still steps up, and a bracket still interpolates.
    expect(nextQuality(trusting, [{ quality: 70, score: 0.9 }], 70)).toBe(80);
    expect(nextQuality(trusting, [{ quality: 70, score: 0.96 }, { quality: 80, score: 0.98 }], 70)).toBe(75);
    expect(run(trusting, 80, photo)).toEqual({ probes: [80], chosen: 80 });
  });
});

describe('first guesses', () => {
  const FIT: FlatnessFit = { floor: 30, span: 48, knee: 0.845, scale: 0.045, margin: 2 };

  it('starts a flat image at the floor and a busier one higher, approaching floor + span + margin', () => {
    expect(flatnessGuess(FIT, 0.9)).toBe(30);
    expect(flatnessGuess(FIT, 0.845)).toBe(30);
    // One scale below the knee: 63 % of the span.
    expect(flatnessGuess(FIT, 0.8)).toBeCloseTo(30 + 48 * (1 - Math.exp(-1)) + 2, 10);
    expect(flatnessGuess(FIT, 0.3)).toBeCloseTo(80, 3);
    expect(flatnessGuess(FIT, 0.6)).toBeGreaterThan(flatnessGuess(FIT, 0.7));
  });

  it('starts a smaller rendition at the larger one’s choice, a little higher for a busy image, never lower', () => {
    const rule = { from: 60, add: 2, cap: 86 };
    expect(smallerGuess(rule, 30)).toBe(30);
    expect(smallerGuess(rule, 59)).toBe(59);
    expect(smallerGuess(rule, 60)).toBe(62);
    expect(smallerGuess(rule, 85)).toBe(86);
    expect(smallerGuess(rule, 90)).toBe(90);
  });
});
