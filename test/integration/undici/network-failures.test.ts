import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { UndiciImageFetcher } from '../../../src/adapters/undici/index.js';
import { startImageOrigin } from '../../support/image-origin.js';
import { failureOf } from './failure-of.js';
import { listenOnLoopback } from './listen-on-loopback.js';
import { eventually } from '../../support/eventually.js';

describe('UndiciImageFetcher network failures', () => {
  const fetcher = new UndiciImageFetcher({ allowPrivateNetworks: true, timeoutMs: 10_000 });
  afterAll(() => fetcher.close());

  it('fails transiently when the connection is refused', async () => {
    const server = createServer();
    const port = await listenOnLoopback(server);
    await new Promise((resolve) => server.close(resolve));
    const failure = await failureOf(fetcher.fetch(`http://127.0.0.1:${port}/a.jpg`));
    expect(failure).toMatchObject({ code: 'image.connection_failed', transient: true });
    expect(failure.message).toContain('ECONNREFUSED');
  });

  it('fails transiently when the server resets the connection', async () => {
    const server = createServer((socket) => socket.resetAndDestroy());
    const port = await listenOnLoopback(server);
    try {
      const failure = await failureOf(fetcher.fetch(`http://127.0.0.1:${port}/a.jpg`));
      expect(failure).toMatchObject({ code: 'image.connection_failed', transient: true });
    } finally {
      server.close();
    }
  });

  it('fails transiently when a name does not resolve, resolves to nothing, or the resolver fails', async () => {
    const notFound = Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    const lookup = async (hostname: string) => {
      if (hostname === 'empty.test') return [];
      if (hostname === 'broken.test') throw new Error('resolver crashed');
      throw notFound;
    };
    const resolving = new UndiciImageFetcher({ lookup });
    try {
      const missing = await failureOf(resolving.fetch('http://missing.test/a.jpg'));
      expect(missing).toMatchObject({ code: 'image.connection_failed', transient: true });
      expect(missing.message).toBe('Could not resolve missing.test (ENOTFOUND)');
      const empty = await failureOf(resolving.fetch('https://empty.test/a.jpg'));
      expect(empty).toMatchObject({ code: 'image.connection_failed', transient: true });
      const broken = await failureOf(resolving.fetch('http://broken.test/a.jpg'));
      expect(broken.message).toBe('Could not resolve broken.test (lookup failed)');
    } finally {
      await resolving.close();
    }
  });

  it('fails a download in flight transiently when closed, and later ones too', async () => {
    const origin = await startImageOrigin();
    const closing = new UndiciImageFetcher({ allowPrivateNetworks: true });
    try {
      const download = closing.fetch(`${origin.url}/hang`);
      await eventually(() => expect(origin.hits('/hang')).toBe(1));
      await closing.close();
      expect(await failureOf(download)).toMatchObject({ code: 'image.connection_failed', transient: true });
      expect(await failureOf(closing.fetch(`${origin.url}/images/dune.jpg`))).toMatchObject({ transient: true });
    } finally {
      await origin.close();
    }
  });
});
