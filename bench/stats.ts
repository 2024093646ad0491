/** Numbers and tables shared by every section's report: medians, percentiles, rounding, markdown. */

/** The middle value, or the mean of the two middle values; throws on an empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] as number) + upper) / 2;
}

/** Nearest-rank percentile (`p` in 0–100) of a non-empty list; does not reorder its input. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

const rounded = (digits: number) => (value: number) => Math.round(value * 10 ** digits) / 10 ** digits;
export const round1 = rounded(1);
export const round2 = rounded(2);
export const round3 = rounded(3);
export const round4 = rounded(4);

/**
 * A markdown table as lines: `align` has a letter per column, `l` or `r`; an empty cell stays
 * one space wide.
 */
export function markdownTable(align: string, header: readonly string[], rows: readonly (readonly (string | number)[])[]): string[] {
  const line = (cells: readonly (string | number)[]) => `|${cells.map((cell) => (cell === '' ? ' ' : ` ${cell} `)).join('|')}|`;
  return [line(header), line([...align].map((letter) => (letter === 'r' ? '---:' : '---'))), ...rows.map(line)];
}
