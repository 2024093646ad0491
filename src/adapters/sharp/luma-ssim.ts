/**
 * Mean SSIM (Wang, Bovik, Sheikh and Simoncelli 2004) of two greyscale images of one size: the
 * paper's 11 × 11 Gaussian window (σ 1.5) and constants, as ssim.js and MATLAB's `ssim` compute
 * it, but evaluated at every 8th pixel of each axis instead of every pixel. The mean of that
 * grid is within a few ten-thousandths of the full map's on photos, at a 64th of the work (a
 * 1600 × 1000 image in about 10 ms instead of ssim.js' 600). Images smaller than the window are
 * scored with the window cut to their size.
 */
const RADIUS = 5;
const SIGMA = 1.5;
const STRIDE = 8;
const C1 = (0.01 * 255) ** 2;
const C2 = (0.03 * 255) ** 2;

function gaussian(radius: number): Float64Array {
  const weights = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += weights[i + radius] = Math.exp(-(i * i) / (2 * SIGMA * SIGMA));
  return weights.map((weight) => weight / sum);
}

/** Window centres along an axis of `length`: every STRIDE-th where the window fits. */
function centres(length: number, radius: number): number[] {
  const result: number[] = [];
  for (let at = radius; at < length - radius; at += STRIDE) result.push(at);
  return result;
}

export function lumaSsim(a: Uint8Array, b: Uint8Array, width: number, height: number): number {
  if (a.length !== width * height || b.length !== width * height) throw new RangeError('lumaSsim: both images must be width × height bytes');
  const radius = Math.min(RADIUS, (Math.min(width, height) - 1) >> 1);
  const weights = gaussian(radius);
  const columns = centres(width, radius);
  const rows = centres(height, radius);
  // Horizontal pass at the sampled columns, for every row: five filtered planes.
  const planes = columns.length * height;
  const [ha, hb, haa, hbb, hab] = [0, 0, 0, 0, 0].map(() => new Float64Array(planes)) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let c = 0; c < columns.length; c++) {
      let sa = 0;
      let sb = 0;
      let saa = 0;
      let sbb = 0;
      let sab = 0;
      const start = row + columns[c]! - radius;
      for (let k = 0; k < weights.length; k++) {
        const w = weights[k]!;
        const pa = a[start + k]!;
        const pb = b[start + k]!;
        sa += w * pa;
        sb += w * pb;
        saa += w * pa * pa;
        sbb += w * pb * pb;
        sab += w * pa * pb;
      }
      const at = y * columns.length + c;
      ha[at] = sa;
      hb[at] = sb;
      haa[at] = saa;
      hbb[at] = sbb;
      hab[at] = sab;
    }
  }
  // Vertical pass at the sampled rows, and the SSIM of each window.
  let total = 0;
  for (const y of rows) {
    for (let c = 0; c < columns.length; c++) {
      let ma = 0;
      let mb = 0;
      let maa = 0;
      let mbb = 0;
      let mab = 0;
      for (let k = 0; k < weights.length; k++) {
        const w = weights[k]!;
        const at = (y - radius + k) * columns.length + c;
        ma += w * ha[at]!;
        mb += w * hb[at]!;
        maa += w * haa[at]!;
        mbb += w * hbb[at]!;
        mab += w * hab[at]!;
      }
      const varA = maa - ma * ma;
      const varB = mbb - mb * mb;
      const cov = mab - ma * mb;
      total += ((2 * ma * mb + C1) * (2 * cov + C2)) / ((ma * ma + mb * mb + C1) * (varA + varB + C2));
    }
  }
  return total / (rows.length * columns.length);
}

/**
 * Flatness of a greyscale image: the mean over the same windows as lumaSsim of C2 / (2σ² + C2),
 * σ² the window's variance. 1 for a flat image, towards 0 for a busy one. It is the part of
 * SSIM's contrast-structure term an encoder's error cannot hide in: where σ² is small, a small
 * error costs a lot of SSIM, so it predicts the quality a target needs (see flatnessGuess).
 * About two fifths of the work of lumaSsim.
 */
export function lumaFlatness(a: Uint8Array, width: number, height: number): number {
  if (a.length !== width * height) throw new RangeError('lumaFlatness: the image must be width × height bytes');
  const radius = Math.min(RADIUS, (Math.min(width, height) - 1) >> 1);
  const weights = gaussian(radius);
  const columns = centres(width, radius);
  const rows = centres(height, radius);
  // Horizontal pass at the sampled columns, for every row, as in lumaSsim.
  const h = new Float64Array(columns.length * height);
  const hh = new Float64Array(columns.length * height);
  for (let row = 0; row < height; row++) {
    for (let c = 0; c < columns.length; c++) {
      let s = 0;
      let ss = 0;
      const start = row * width + columns[c]! - radius;
      for (let k = 0; k < weights.length; k++) {
        const p = a[start + k]!;
        s += weights[k]! * p;
        ss += weights[k]! * p * p;
      }
      h[row * columns.length + c] = s;
      hh[row * columns.length + c] = ss;
    }
  }
  let total = 0;
  for (const y of rows) {
    for (let c = 0; c < columns.length; c++) {
      let m = 0;
      let mm = 0;
      for (let k = 0; k < weights.length; k++) {
        const at = (y - radius + k) * columns.length + c;
        m += weights[k]! * h[at]!;
        mm += weights[k]! * hh[at]!;
      }
      total += C2 / (2 * Math.max(0, mm - m * m) + C2);
    }
  }
  return total / (rows.length * columns.length);
}
