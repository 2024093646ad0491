import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SharpImageCompressor } from '../../../src/adapters/sharp/index.js';
import { ImageFailure, type ImageFailureCode } from '../../../src/domain/index.js';
import { hostileNames, testImagesDir } from '../../support/testdata.js';
import { readImage } from './read-image.js';

const EXPECTED: Record<string, ImageFailureCode> = {
  'empty.jpg': 'image.not_an_image',
  'external-entity.svg': 'image.unsupported_type',
  'not-an-image.jpg': 'image.not_an_image',
  'pixel-bomb-256mp.png': 'image.too_many_pixels',
  'pixel-bomb.png': 'image.too_many_pixels',
  'truncated.jpg': 'image.corrupt',
};

async function failureOf(promise: Promise<unknown>): Promise<ImageFailure> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ImageFailure);
  return error as ImageFailure;
}

describe('hostile files', () => {
  const compressor = new SharpImageCompressor();

  it('are all known to this suite', () => {
    expect(hostileNames()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('%s fails permanently with %s', async (name, code) => {
    const failure = await failureOf(compressor.compress(readImage(join('hostile', name))));
    expect(failure).toMatchObject({ code, transient: false });
  });

  it('a truncated JPEG fails instead of giving a grey half image', async () => {
    const failure = await failureOf(compressor.compress(readImage('hostile/truncated.jpg')));
    expect(failure.message).toMatch(/premature end of JPEG/);
  });

  it('a truncated PNG fails as corrupt', async () => {
    const png = readImage('twowings.png');
    const failure = await failureOf(compressor.compress(png.subarray(0, png.length >> 1)));
    expect(failure).toMatchObject({ code: 'image.corrupt', transient: false });
  });

  it('a GIF signature followed by garbage fails as corrupt', async () => {
    const failure = await failureOf(compressor.compress(Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(64, 0x5a)])));
    expect(failure).toMatchObject({ code: 'image.corrupt', transient: false });
  });

  it('HEIC, which the prebuilt libvips cannot decode, is an unsupported type', async () => {
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.alloc(32)]);
    const failure = await failureOf(compressor.compress(heic));
    expect(failure).toMatchObject({ code: 'image.unsupported_type', transient: false });
  });
});

describe('SVG, when allowed', () => {
  const compressor = new SharpImageCompressor({ allowSvg: true });
  const requests: string[] = [];
  const canary = createServer((req, res) => {
    requests.push(req.url ?? '');
    res.end();
  });
  let origin = '';

  beforeAll(async () => {
    await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(canary.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => canary.close(resolve));
  });

  it('still refuses a DOCTYPE, and with it every entity', async () => {
    const failure = await failureOf(compressor.compress(readImage('hostile/external-entity.svg')));
    expect(failure).toMatchObject({ code: 'image.unsupported_type', transient: false });
  });

  it('renders without fetching linked http or file resources', async () => {
    const linked = join(testImagesDir(), 'alpha.png');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="60" height="40">
      <image xlink:href="${origin}/leak.png" width="60" height="40"/>
      <image href="file://${linked}" width="60" height="40"/>
      <rect width="20" height="40" fill="#ff0000"/></svg>`;

    const output = await compressor.compress(Buffer.from(svg));

    expect(requests).toEqual([]);
    expect(output).toMatchObject({ format: 'webp', width: 60, height: 40 });
    // Only the red rectangle was drawn: the linked photo would have filled the right two thirds.
    const right = await sharp(output.bytes).extract({ left: 30, top: 0, width: 30, height: 40 }).raw().toBuffer();
    expect(Math.max(...right.filter((_, i) => i % 4 === 3))).toBe(0);
  });
});
