import { describe, expect, it } from 'vitest';
import type { CompressedImage } from '../../../src/application/index.js';
import type { SharpEncoding } from '../../../src/adapters/sharp/index.js';
import type { SourceInfo } from '../../../src/adapters/sharp/inspect-source.js';
import { pickRendition } from '../../../src/adapters/sharp/pick-rendition.js';

// The rule alone, with a fake encoder whose output sizes the test chooses.
const encodings = [10, 20, 30].map((quality): SharpEncoding => ({ format: 'webp', options: { quality } })) as [
  SharpEncoding,
  ...SharpEncoding[],
];
const source = new Uint8Array(100);
const info = (keepable: boolean): SourceInfo => ({ format: 'jpeg', width: 40, height: 30, keepable });

function encoder(sizes: number[]) {
  const rendered: number[] = [];
  const render = async (encoding: SharpEncoding): Promise<CompressedImage> => {
    const index = encodings.indexOf(encoding);
    rendered.push(index);
    return { bytes: new Uint8Array(sizes[index]!), format: 'webp', contentType: 'image/webp', width: 40, height: 30 };
  };
  return { render, rendered };
}

describe('pickRendition', () => {
  it('takes the configured encoding as soon as it shrinks the source, trying nothing else', async () => {
    const { render, rendered } = encoder([99, 10, 10]);
    expect((await pickRendition(source, info(true), encodings, render)).bytes.length).toBe(99);
    expect(rendered).toEqual([0]);
  });

  it('otherwise takes the smallest of all candidates, the earliest on a tie', async () => {
    const { render, rendered } = encoder([100, 60, 60]);
    const picked = await pickRendition(source, info(true), encodings, render);
    expect(picked.bytes.length).toBe(60);
    expect(rendered).toEqual([0, 1, 2]);
  });

  it('stores a keepable source as is when no candidate beats it', async () => {
    const { render } = encoder([100, 150, 120]);
    expect(await pickRendition(source, info(true), encodings, render)).toEqual({
      bytes: source,
      format: 'jpeg',
      contentType: 'image/jpeg',
      width: 40,
      height: 30,
    });
  });

  it('stores the smallest candidate when the source itself is not a valid rendition', async () => {
    const { render } = encoder([130, 150, 120]);
    expect((await pickRendition(source, info(false), encodings, render)).bytes.length).toBe(120);
  });
});
