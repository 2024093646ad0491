import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { SharpImageCompressor, type SharpOutputFormat } from '../../../src/adapters/sharp/index.js';
import { ssimBetween } from '../../support/ssim.js';
import { readImage } from './read-image.js';

const FORMATS: SharpOutputFormat[] = ['webp', 'avif', 'jpeg'];
const XMP =
  '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="someone"/></rdf:RDF></x:xmpmeta>';

const meanRgb = async (image: Uint8Array) =>
  (await sharp(image).stats()).channels.slice(0, 3).map((channel) => channel.mean);

/** A flat sRGB colour, converted to Display P3 and tagged, with GPS EXIF and XMP. */
const taggedP3 = () =>
  sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 200, g: 80, b: 40 } } })
    .withIccProfile('p3')
    .withExif({ IFD0: { Copyright: 'someone' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } })
    .withXmp(XMP)
    .jpeg({ quality: 95 })
    .toBuffer();

describe.each(FORMATS)('colour and metadata as %s', (format) => {
  const compressor = new SharpImageCompressor({ format });

  it('strips EXIF (GPS included), XMP, IPTC and the ICC profile', async () => {
    const source = await taggedP3();
    expect(await sharp(source).metadata()).toMatchObject({ hasProfile: true, exif: expect.any(Buffer), xmp: expect.any(Buffer) });

    const { hasProfile, exif, xmp, iptc, orientation } = await sharp((await compressor.compress(source)).bytes).metadata();

    expect({ hasProfile, exif, xmp, iptc, orientation }).toEqual({ hasProfile: false });
  });

  it('converts a wide-gamut source to sRGB values instead of dropping its profile', async () => {
    const source = await taggedP3();
    // What a profile-blind decoder would show: the P3 numbers, visibly off.
    const [storedRed] = (await sharp(source, { ignoreIcc: true }).raw().toBuffer()).subarray(0, 3);
    expect(Math.abs(storedRed! - 200)).toBeGreaterThan(10);

    const [r, g, b] = await sharp((await compressor.compress(source)).bytes).raw().toBuffer();

    expect([r, g, b].map((value, i) => Math.abs(value! - [200, 80, 40][i]!))).toSatisfy((d: number[]) => d.every((x) => x <= 4));
  });

  it('turns CMYK into sRGB that looks like the photo it came from (dune.jpg)', async () => {
    const source = readImage('cmyk.jpg');
    expect(await sharp(source).metadata()).toMatchObject({ space: 'cmyk', channels: 4 });

    const output = await compressor.compress(source);

    expect(await sharp(output.bytes).metadata()).toMatchObject({ space: 'srgb', channels: 3 });
    const original = await sharp(readImage('dune.jpg')).resize(output.width, output.height, { fit: 'fill' }).toBuffer();
    const expected = await meanRgb(original);
    // Inverted (Adobe) CMYK or CMYK read as RGB would be off by 35 or more on some channel.
    (await meanRgb(output.bytes)).forEach((mean, i) => expect(Math.abs(mean - expected[i]!)).toBeLessThan(15));
    expect(await ssimBetween(sharp(original), sharp(output.bytes))).toBeGreaterThanOrEqual(0.9);
  });
});
