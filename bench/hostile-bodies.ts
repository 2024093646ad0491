/**
 * Request bodies of the hostile section (issue 10, rows 1–3), built once and reused by every
 * request: a multipart body of many tiny parts, a multipart envelope around one file, and
 * products at the field limits of POST /products.
 */
import { PRODUCT_FIELDS } from '../src/domain/index.js';

/**
 * `parts` one-byte file parts, as in the repro: with the boundary `B` each part is 66
 * bytes, so 370,000 of them (24.4 MB, 23.3 MiB) stay under the upload limit of 25 MiB.
 */
export function tinyPartsBody(parts: number, boundary = 'B'): Buffer {
  const part = `--${boundary}\r\nContent-Disposition: form-data; name="f"; filename="a"\r\n\r\nx\r\n`;
  return Buffer.from(`${part.repeat(parts)}--${boundary}--\r\n`, 'latin1');
}

/** One file in field `file`, the way a browser uploads it. */
export function fileBody(bytes: Uint8Array, file: { filename: string; contentType: string }, boundary = 'hostile-bench'): Buffer {
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.filename}"\r\nContent-Type: ${file.contentType}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), bytes, Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1')]);
}

/** The content type of a multipart body built above. */
export const multipartType = (boundary: string) => `multipart/form-data; boundary=${boundary}`;

// Three bytes in UTF-8, one unit in UTF-16: the most bytes a length limit counted in characters allows.
const WIDE = '中';

/**
 * A product at every limit of POST /products: as many image URLs as allowed, each as long as
 * allowed and mostly non-ASCII, and the longest description. The URLs point at a loopback literal,
 * which the image fetcher refuses at once as a permanent failure: no retries keep the worker busy
 * while the bench measures, and no request leaves the machine.
 */
export function fatProduct(userId: number, index: number): Record<string, unknown> {
  const { maxItems, itemMaxLength } = PRODUCT_FIELDS.product_images.bounds;
  const images = Array.from({ length: maxItems }, (_, image) => {
    const prefix = `http://127.0.0.1/p${index}-${image}/`;
    return prefix + WIDE.repeat(itemMaxLength - prefix.length);
  });
  return {
    user_id: userId,
    product_name: `Hostile bench product ${index}`,
    product_description: WIDE.repeat(PRODUCT_FIELDS.product_description.bounds.maxLength),
    product_images: images,
    product_price: 1,
  };
}
