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
