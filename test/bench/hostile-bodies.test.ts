import { describe, expect, it } from 'vitest';
import { fatProduct, fileBody, multipartType, tinyPartsBody } from '../../bench/hostile-bodies.js';
import { checkRecord, NEW_PRODUCT, PRODUCT_FIELDS } from '../../src/domain/index.js';

describe('tinyPartsBody', () => {
  it('repeats one-byte parts of 66 bytes and closes the boundary', () => {
    const body = tinyPartsBody(2).toString('latin1');
    expect(body).toBe(`${'--B\r\nContent-Disposition: form-data; name="f"; filename="a"\r\n\r\nx\r\n'.repeat(2)}--B--\r\n`);
  });

  it('stays under the upload limit (25 MiB and the envelope allowance) at the issue 370,000 parts', () => {
    expect(tinyPartsBody(370_000).byteLength).toBeLessThan(25 * 2 ** 20);
  });
});

describe('fileBody', () => {
  it('wraps the bytes in field file with its name and type', () => {
    const body = fileBody(Buffer.from('PNG!'), { filename: 'a.png', contentType: 'image/png' }, 'X');
    expect(body.toString('latin1')).toBe('--X\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\nPNG!\r\n--X--\r\n');
    expect(multipartType('X')).toBe('multipart/form-data; boundary=X');
  });
});

describe('fatProduct', () => {
  const product = fatProduct(7, 3);
  const images = product.product_images as string[];
  const { maxItems, itemMaxLength } = PRODUCT_FIELDS.product_images.bounds;

  it('is at every limit of the field rules', () => {
    expect(images).toHaveLength(maxItems);
    expect(images.every((url) => url.length === itemMaxLength)).toBe(true);
    expect((product.product_description as string).length).toBe(PRODUCT_FIELDS.product_description.bounds.maxLength);
  });

  it('is accepted by the rules of POST /products', () => {
    expect(checkRecord(product, NEW_PRODUCT)).toMatchObject({ ok: true });
  });

  it('has distinct URLs, mostly of three-byte characters, on a loopback literal', () => {
    expect(new Set(images).size).toBe(maxItems);
    expect(Buffer.byteLength(images[0] as string)).toBeGreaterThan(2.9 * itemMaxLength);
    expect(images.every((url) => new URL(url).hostname === '127.0.0.1')).toBe(true);
    expect(fatProduct(7, 4).product_images).not.toEqual(images);
  });
});
