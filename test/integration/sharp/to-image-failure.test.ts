import { describe, expect, it } from 'vitest';
import { toImageFailure } from '../../../src/adapters/sharp/to-image-failure.js';
import { permanentFailure } from '../../../src/domain/index.js';

// The real images reach these through sharp; here the odd shapes of what may be thrown.
describe('toImageFailure', () => {
  it('passes an ImageFailure through untouched', () => {
    const failure = permanentFailure('image.unsupported_type', 'svg images are not accepted');
    expect(toImageFailure(failure)).toBe(failure);
  });

  it("maps libvips' pixel limit to too_many_pixels", () => {
    expect(toImageFailure(new Error('Input image exceeds pixel limit'))).toMatchObject({
      code: 'image.too_many_pixels',
      transient: false,
    });
  });

  it('maps a format libvips does not recognise to not_an_image', () => {
    expect(toImageFailure(new Error('Input buffer contains unsupported image format'))).toMatchObject({
      code: 'image.not_an_image',
      transient: false,
    });
  });

  it('keeps only the first line of a multi-line decoder message, bounded', () => {
    const failure = toImageFailure(new Error(`VipsJpeg: bad Huffman table${'x'.repeat(500)}\nvips2png: unable to write`));
    expect(failure).toMatchObject({ code: 'image.corrupt', transient: false });
    expect(failure.message).not.toContain('\n');
    expect(failure.message.length).toBeLessThan(260);
  });

  it('describes a thrown non-error too', () => {
    expect(toImageFailure('boom')).toMatchObject({ code: 'image.corrupt', message: 'the image could not be decoded: boom' });
  });
});
