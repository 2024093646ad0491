import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImageFailure, permanentFailure, sniffImageFormat, transientFailure } from '../../../src/domain/index.js';
import { hostileNames, photoNames, testImagesDir } from '../../support/testdata.js';

const bytes = (...values: number[]) => new Uint8Array(values);
const text = (value: string) => new TextEncoder().encode(value);

describe('sniffImageFormat', () => {
  it('recognizes every shared photo by its bytes', () => {
    const expected: Record<string, string> = { jpg: 'jpeg', png: 'png', webp: 'webp' };
    for (const name of photoNames()) {
      const data = readFileSync(join(testImagesDir(), name));
      expect(sniffImageFormat(data), name).toBe(expected[name.split('.').pop() as string]);
    }
  });

  it('sees through hostile files named like images', () => {
    const dir = join(testImagesDir(), 'hostile');
    const verdicts = Object.fromEntries(hostileNames().map((name) => [name, sniffImageFormat(readFileSync(join(dir, name)))]));
    expect(verdicts).toEqual({
      'empty.jpg': null,
      'external-entity.svg': 'svg',
      'not-an-image.jpg': null,
      'pixel-bomb-256mp.png': 'png',
      'pixel-bomb.png': 'png',
      'truncated.jpg': 'jpeg',
    });
  });

  it.each([
    ['gif', text('GIF89a....')],
    ['gif', text('GIF87a....')],
    ['tiff', bytes(0x49, 0x49, 0x2a, 0x00, 1, 2)],
    ['tiff', bytes(0x4d, 0x4d, 0x00, 0x2a, 1, 2)],
    ['avif', text('\0\0\0\x1cftypavif')],
    ['heif', text('\0\0\0\x18ftypheic')],
    ['svg', text('\uFEFF  <svg xmlns="http://www.w3.org/2000/svg"/>')],
    ['svg', text('<?xml version="1.0"?>\n<!DOCTYPE x>\n<SVG>')],
    [null, text('\0\0\0\x18ftypisom')],
    [null, text('<?xml version="1.0"?><html/>')],
    [null, text('RIFF....WAVE')],
    [null, bytes(0xff, 0xd8)],
  ])('%s for %j', (format, data) => {
    expect(sniffImageFormat(data)).toBe(format);
  });
});

describe('ImageFailure', () => {
  it('carries a stable code, its class and a readable reason', () => {
    const permanent = permanentFailure('image.too_large', 'over 25 MiB');
    const transient = transientFailure('image.timeout', 'no answer in 15 s');
    expect(permanent).toBeInstanceOf(ImageFailure);
    expect([permanent.transient, transient.transient]).toEqual([false, true]);
    expect(permanent.reason).toBe('image.too_large: over 25 MiB');
    expect(transient.name).toBe('ImageFailure');
  });
});
