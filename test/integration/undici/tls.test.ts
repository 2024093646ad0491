import { once } from 'node:events';
import { createServer } from 'node:https';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { UndiciImageFetcher } from '../../../src/adapters/undici/index.js';
import { failureOf, tableLookup } from './failure-of.js';
import { TEST_CERT, TEST_KEY } from './tls-fixture.js';

describe('UndiciImageFetcher over TLS', () => {
  it('connects to the checked address while sending the URL host as SNI, and verifies the certificate', async () => {
    const names: string[] = [];
    const context = createSecureContext({ key: TEST_KEY, cert: TEST_CERT });
    const sni = (name: string, done: (error: Error | null, context: SecureContext) => void) => {
      names.push(name);
      done(null, context);
    };
    const server = createServer({ key: TEST_KEY, cert: TEST_CERT, SNICallback: sni }, (_req, res) =>
      res.end('never served: the certificate is not trusted'),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const fetcher = new UndiciImageFetcher({
      lookup: tableLookup({ 'images.example.test': ['127.0.0.1'] }),
      trustedEndpoints: [{ address: '127.0.0.1', port }],
      timeoutMs: 5_000,
    });
    try {
      const failure = await failureOf(fetcher.fetch(`https://images.example.test:${port}/a.jpg`));
      expect(failure).toMatchObject({ code: 'image.connection_failed', transient: true });
      expect(names).toEqual(['images.example.test']);
    } finally {
      await fetcher.close();
      server.closeAllConnections();
      server.close();
    }
  });
});
