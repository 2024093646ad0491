import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { UndiciImageFetcher, type UndiciImageFetcherOptions } from '../../../src/adapters/undici/index.js';
import type { SourceFormat } from '../../../src/domain/index.js';
import { startCanary } from '../../support/canary.js';
import { startImageOrigin, type ImageOrigin } from '../../support/image-origin.js';
import { hostileNames, photoNames, testImagesDir } from '../../support/testdata.js';
import { failureOf } from './failure-of.js';
import { listenOnLoopback } from './listen-on-loopback.js';
import { eventually } from '../../support/eventually.js';

const MiB = 1024 * 1024;
const FORMAT_BY_EXTENSION: Record<string, SourceFormat> = { jpg: 'jpeg', jpeg: 'jpeg', png: 'png', webp: 'webp' };

// What the fetcher makes of each hostile file: it judges bytes and type only; pixel counts and
// truncation are the compressor's business, so those files download.
const HOSTILE: Record<string, { code: string } | { format: SourceFormat }> = {
  'empty.jpg': { code: 'image.not_an_image' },
  'not-an-image.jpg': { code: 'image.not_an_image' },
  'external-entity.svg': { code: 'image.unsupported_type' },
  'pixel-bomb.png': { format: 'png' },
  'pixel-bomb-256mp.png': { format: 'png' },
  'truncated.jpg': { format: 'jpeg' },
};

describe('UndiciImageFetcher against the local origin', () => {
  let origin: ImageOrigin;
  const fetchers: UndiciImageFetcher[] = [];
  const fetcher = (options: UndiciImageFetcherOptions = {}) => {
    const created = new UndiciImageFetcher({ allowPrivateNetworks: true, timeoutMs: 10_000, ...options });
    fetchers.push(created);
    return created;
  };

  beforeAll(async () => {
    origin = await startImageOrigin();
  });
  afterEach(async () => {
    await Promise.all(fetchers.splice(0).map((created) => created.close()));
    vi.unstubAllEnvs();
  });
  afterAll(async () => {
    await origin?.close();
  });

  it.each(photoNames())('downloads %s byte for byte, with the format sniffed', async (name) => {
    const image = await fetcher().fetch(`${origin.url}/images/${name}`);
    expect(image.format).toBe(FORMAT_BY_EXTENSION[name.split('.').pop()!.toLowerCase()]);
    expect(Buffer.from(image.bytes).equals(readFileSync(join(testImagesDir(), name)))).toBe(true);
  });

  it.each([
    ['dune.jpg', 'image/png', 'jpeg'],
    ['twowings.png', 'text/html', 'png'],
    ['wood.webp', 'image/jpeg', 'webp'],
  ])('sniffs %s as what it is when Content-Type says %s', async (name, type, format) => {
    const image = await fetcher().fetch(`${origin.url}/images/${name}?type=${encodeURIComponent(type)}`);
    expect(image.format).toBe(format);
  });

  it('knows every hostile test file', () => {
    expect(hostileNames()).toEqual(Object.keys(HOSTILE).sort());
  });

  it.each(Object.entries(HOSTILE))('handles hostile/%s', async (name, expected) => {
    const download = fetcher().fetch(`${origin.url}/images/hostile/${name}`);
    if ('format' in expected) {
      expect((await download).format).toBe(expected.format);
      return;
    }
    const failure = await failureOf(download);
    expect(failure).toMatchObject({ code: expected.code, transient: false });
  });

  it('accepts SVG when allowSvg is set', async () => {
    const image = await fetcher({ allowSvg: true }).fetch(`${origin.url}/images/hostile/external-entity.svg`);
    expect(image.format).toBe('svg');
  });

  it.each([
    ['/status/404', 'image.not_found', false],
    ['/status/410', 'image.not_found', false],
    ['/status/400', 'image.http_error', false],
    ['/status/403', 'image.http_error', false],
    ['/status/301', 'image.http_error', false],
    ['/status/204', 'image.not_an_image', false],
    ['/status/408', 'image.unavailable', true],
    ['/rate-limited', 'image.unavailable', true],
    ['/status/500', 'image.unavailable', true],
    ['/status/503', 'image.unavailable', true],
  ])('maps %s to %s (transient: %s)', async (path, code, transient) => {
    const failure = await failureOf(fetcher().fetch(origin.url + path));
    expect(failure).toMatchObject({ code, transient });
    expect(failure.message).not.toContain('127.0.0.1');
  });

  it('fails a flaky source transiently until it answers', async () => {
    const flaky = fetcher();
    const url = `${origin.url}/flaky/2/ladybird.jpg`;
    expect(await failureOf(flaky.fetch(url))).toMatchObject({ code: 'image.unavailable', transient: true });
    expect(await failureOf(flaky.fetch(url))).toMatchObject({ code: 'image.unavailable', transient: true });
    expect((await flaky.fetch(url)).format).toBe('jpeg');
    expect(origin.hits('/flaky/2/ladybird.jpg')).toBe(3);
  });

  it.each(['/hang', '/trickle'])('times out on %s, transiently', async (path) => {
    const failure = await failureOf(fetcher({ timeoutMs: 1_200 }).fetch(origin.url + path));
    expect(failure).toMatchObject({ code: 'image.timeout', transient: true });
  });

  it('stops an endless body at maxBytes, long before the timeout', async () => {
    const failure = await failureOf(fetcher({ maxBytes: MiB, timeoutMs: 60_000 }).fetch(`${origin.url}/endless`));
    expect(failure).toMatchObject({ code: 'image.too_large', transient: false });
    expect(failure.message).toContain('1 MiB');
  }, 10_000);

  it('fails fast on a declared Content-Length above maxBytes', async () => {
    const failure = await failureOf(fetcher({ maxBytes: MiB }).fetch(`${origin.url}/images/alpha.png`));
    expect(failure).toMatchObject({ code: 'image.too_large', transient: false });
  });

  it('accepts a body of exactly maxBytes', async () => {
    const size = readFileSync(join(testImagesDir(), 'wood.webp')).length;
    const image = await fetcher({ maxBytes: size }).fetch(`${origin.url}/images/wood.webp`);
    expect(image.bytes.length).toBe(size);
  });

  it('reads no more than a lying Content-Length declares: the 30 MiB behind it never arrive', async () => {
    const image = await fetcher({ maxBytes: MiB, timeoutMs: 60_000 }).fetch(`${origin.url}/liar-length`);
    expect(image.bytes.length).toBe(100);
  }, 10_000);

  it('follows a chain of 5 redirects, relative Locations included', async () => {
    const image = await fetcher().fetch(`${origin.url}/redirect-chain/5`);
    expect(image.format).toBe('jpeg');
    expect(origin.hits('/redirect-chain/1')).toBeGreaterThan(0);
  });

  it('refuses a sixth redirect without requesting its target', async () => {
    const before = origin.hits('/redirect-chain/0');
    const failure = await failureOf(fetcher().fetch(`${origin.url}/redirect-chain/6`));
    expect(failure).toMatchObject({ code: 'image.too_many_redirects', transient: false });
    expect(origin.hits('/redirect-chain/0')).toBe(before);
  });

  it('honours maxRedirects', async () => {
    const failure = await failureOf(fetcher({ maxRedirects: 0 }).fetch(`${origin.url}/redirect-chain/1`));
    expect(failure.code).toBe('image.too_many_redirects');
  });

  it.each([
    ['an absolute URL', (url: string) => `${url}/images/storm.jpg`],
    ['a path', () => '/images/storm.jpg'],
  ])('follows a redirect to %s', async (_what, target) => {
    const to = encodeURIComponent(target(origin.url));
    expect((await fetcher().fetch(`${origin.url}/redirect?to=${to}`)).format).toBe('jpeg');
  });

  it.each(['ftp://127.0.0.1/x.jpg', 'file:///etc/passwd', 'http://user:pass@127.0.0.1/x.jpg', 'http://[::1'])(
    'refuses a redirect to %s as an invalid URL',
    async (target) => {
      const failure = await failureOf(fetcher().fetch(`${origin.url}/redirect?to=${encodeURIComponent(target)}`));
      expect(failure).toMatchObject({ code: 'image.invalid_url', transient: false });
    },
  );

  it('ignores proxy environment variables', async () => {
    const canary = await startCanary();
    try {
      for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy']) {
        vi.stubEnv(name, canary.url);
      }
      vi.stubEnv('NO_PROXY', '');
      vi.stubEnv('no_proxy', '');
      vi.stubEnv('NODE_USE_ENV_PROXY', '1');
      expect((await fetcher().fetch(`${origin.url}/images/dune.jpg`)).format).toBe('jpeg');
      expect(canary.requests()).toBe(0);
    } finally {
      await canary.close();
    }
  });

  it('rejects with the reason when the caller aborts mid-download', async () => {
    const controller = new AbortController();
    const before = origin.hits('/hang');
    const download = fetcher().fetch(`${origin.url}/hang`, { signal: controller.signal });
    await eventually(() => expect(origin.hits('/hang')).toBe(before + 1));
    const reason = new Error('worker shutting down');
    controller.abort(reason);
    await expect(download).rejects.toBe(reason);
  });

  it('rejects at once, without a request, when the signal is already aborted', async () => {
    const before = origin.totalHits();
    const download = fetcher().fetch(`${origin.url}/images/dune.jpg`, { signal: AbortSignal.abort() });
    await expect(download).rejects.toMatchObject({ name: 'AbortError' });
    expect(origin.totalHits()).toBe(before);
  });

  it('follows the first of several Location headers', async () => {
    const first = `${origin.url}/images/storm.jpg`;
    const server = createServer((_req, res) => {
      res.setHeader('location', [first, `${origin.url}/status/404`]);
      res.writeHead(302).end();
    });
    const port = await listenOnLoopback(server);
    try {
      expect((await fetcher().fetch(`http://127.0.0.1:${port}/`)).format).toBe('jpeg');
    } finally {
      server.close();
    }
  });

  it('sends its user agent and asks for an unencoded body', async () => {
    const png = readFileSync(join(testImagesDir(), 'alpha.png'));
    let seen: IncomingHttpHeaders = {};
    const server = createServer((req, res) => {
      seen = req.headers;
      res.writeHead(200, { 'content-type': 'image/png' }).end(png);
    });
    const port = await listenOnLoopback(server);
    try {
      await fetcher({ userAgent: 'catalog-test/1' }).fetch(`http://127.0.0.1:${port}/a.png`);
      expect(seen).toMatchObject({ 'user-agent': 'catalog-test/1', 'accept-encoding': 'identity' });
      await fetcher().fetch(`http://127.0.0.1:${port}/a.png`);
      expect(seen['user-agent']).toBe('product-catalog-image-fetcher');
    } finally {
      server.close();
    }
  });
});
