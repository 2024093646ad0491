import { describe, expect, it } from 'vitest';
import { markdownTable, median, percentile, round1, round4 } from '../../bench/stats.js';

describe('median', () => {
  it('takes the middle of an odd count, whatever the order', () => {
    expect(median([9, 1, 5])).toBe(5);
  });

  it('averages the two middle values of an even count', () => {
    expect(median([4, 1, 3, 10])).toBe(3.5);
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it('throws on an empty list', () => {
    expect(() => median([])).toThrow(/empty/);
  });
});

describe('percentile', () => {
  const values = [50, 10, 40, 20, 30, 60, 70, 80, 90, 100];

  it('takes the nearest rank, whatever the order', () => {
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(100);
    expect(percentile(values, 0)).toBe(10);
  });

  it('is the value itself for a single value', () => {
    expect(percentile([7], 99)).toBe(7);
  });

  it('does not reorder its input, and throws on an empty list', () => {
    const input = [3, 1, 2];
    percentile(input, 50);
    expect(input).toEqual([3, 1, 2]);
    expect(() => percentile([], 50)).toThrow(/empty/);
  });
});

describe('rounding', () => {
  it('rounds to the given number of decimals', () => {
    expect(round1(14.237)).toBe(14.2);
    expect(round4(0.96964)).toBe(0.9696);
  });
});

describe('markdownTable', () => {
  it('writes the header, the alignment row and a line per row, keeping empty cells one space wide', () => {
    expect(markdownTable('lrl', ['Name', 'n', 'note'], [['a', 1, 'x'], ['b', 2, '']])).toEqual([
      '| Name | n | note |',
      '| --- | ---: | --- |',
      '| a | 1 | x |',
      '| b | 2 | |',
    ]);
  });
});
