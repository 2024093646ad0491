import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UndiciImageFetcher } from '../../../src/adapters/undici/index.js';
import { startCanary, type Canary } from '../../support/canary.js';
import { startImageOrigin, type ImageOrigin } from '../../support/image-origin.js';
import { failureOf, tableLookup } from './failure-of.js';

// The attacker's DNS: names that look public and resolve into private space.
const DNS = {
  '127.0.0.1.nip.io': ['127.0.0.1'],
  'loopback.test': ['127.0.0.1'],
  'v6-loopback.test': ['::1'],
  'mapped-loopback.test': ['::ffff:127.0.0.1'],
  'metadata.google.internal': ['169.254.169.254'],
  'metadata.test': ['169.254.169.254'],
  'ec2-v6-metadata.test': ['fd00:ec2::254'],
  'private.test': ['10.1.2.3'],
  'public-and-private.test': ['93.184.216.34', '127.0.0.1'],
  'public-and-private-v6.test': ['2606:4700::1111', 'fd00::1'],
  'images.example.test': ['127.0.0.1'],
};

const BLOCKED = 'image.blocked_address';
const INVALID = 'image.invalid_url';

/** Every URL a user might post to reach inside; `{canary}` is the canary's port on loopback. */
const DIRECT: readonly (readonly [url: string, code: string])[] = [
  // Loopback, every spelling.
  ['http://127.0.0.1:{canary}/', BLOCKED],
  ['http://127.1:{canary}/', BLOCKED],
  ['http://127.0.1:{canary}/', BLOCKED],
  ['http://2130706433:{canary}/', BLOCKED],
  ['http://0x7f000001:{canary}/', BLOCKED],
  ['http://0x7f.1:{canary}/', BLOCKED],
  ['http://0x7f.0x0.0x0.0x1:{canary}/', BLOCKED],
  ['http://017700000001:{canary}/', BLOCKED],
  ['http://0177.0.0.1:{canary}/', BLOCKED],
  ['http://127.000.000.001:{canary}/', BLOCKED],
  ['http://127.0.0.1.:{canary}/', BLOCKED],
  ['http://%31%32%37.0.0.1:{canary}/', BLOCKED],
  ['http://１２７.０.０.１:{canary}/', BLOCKED],
  ['https://127.0.0.1:{canary}/', BLOCKED],
  ['http://127.0.0.1.nip.io:{canary}/', BLOCKED],
  ['http://localhost:{canary}/', BLOCKED],
  ['http://LocalHost:{canary}/', BLOCKED],
  ['http://loopback.test:{canary}/', BLOCKED],
  ['http://v6-loopback.test:{canary}/', BLOCKED],
  ['http://mapped-loopback.test:{canary}/', BLOCKED],
  ['http://[::1]:{canary}/', BLOCKED],
  ['http://[0:0:0:0:0:0:0:1]:{canary}/', BLOCKED],
  ['http://[::ffff:127.0.0.1]:{canary}/', BLOCKED],
  ['http://[::ffff:7f00:1]:{canary}/', BLOCKED],
  ['http://[::127.0.0.1]:{canary}/', BLOCKED],
  ['http://[0:0:0:0:0:ffff:127.0.0.1]:{canary}/', BLOCKED],
  // Unspecified: Linux connects these to the local host.
  ['http://0.0.0.0:{canary}/', BLOCKED],
  ['http://0:{canary}/', BLOCKED],
  ['http://[::]:{canary}/', BLOCKED],
  // Private, shared and link-local space, cloud metadata.
  ['http://10.0.0.1/', BLOCKED],
  ['http://10.255.255.255/', BLOCKED],
  ['http://172.16.0.1/', BLOCKED],
  ['http://172.31.255.254/', BLOCKED],
  ['http://192.168.0.1/', BLOCKED],
  ['http://192.168.1.1:8080/', BLOCKED],
  ['http://100.64.0.1/', BLOCKED],
  ['http://169.254.169.254/latest/meta-data/', BLOCKED],
  ['https://169.254.169.254/', BLOCKED],
  ['http://2852039166/latest/meta-data/', BLOCKED],
  ['http://[::ffff:a9fe:a9fe]/', BLOCKED],
  ['http://metadata.google.internal/computeMetadata/v1/', BLOCKED],
  ['http://metadata.test/', BLOCKED],
  ['http://ec2-v6-metadata.test/', BLOCKED],
  ['http://private.test/', BLOCKED],
  // Multicast, broadcast, reserved, benchmarking, documentation.
  ['http://224.0.0.1/', BLOCKED],
  ['http://255.255.255.255/', BLOCKED],
  ['http://240.0.0.1/', BLOCKED],
  ['http://198.18.0.1/', BLOCKED],
  ['http://192.0.2.1/', BLOCKED],
  ['http://192.0.0.1/', BLOCKED],
  // IPv6 private, link-local, multicast and transition forms of private IPv4.
  ['http://[fc00::1]/', BLOCKED],
  ['http://[fd12::1]/', BLOCKED],
  ['http://[fe80::1]/', BLOCKED],
  ['http://[fec0::1]/', BLOCKED],
  ['http://[ff02::1]/', BLOCKED],
  ['http://[2001:db8::1]/', BLOCKED],
  ['http://[64:ff9b::7f00:1]:{canary}/', BLOCKED],
  ['http://[64:ff9b::a00:1]/', BLOCKED],
  ['http://[64:ff9b::a9fe:a9fe]/', BLOCKED],
  ['http://[64:ff9b:1::a00:1]/', BLOCKED],
  ['http://[2002:7f00:1::]:{canary}/', BLOCKED],
  ['http://[2002:a00:1::1]/', BLOCKED],
  ['http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/', BLOCKED],
  ['http://[::ffff:0:7f00:1]:{canary}/', BLOCKED],
  // One private answer among public ones is enough to refuse.
  ['http://public-and-private.test:{canary}/', BLOCKED],
  ['http://public-and-private-v6.test/', BLOCKED],
  // Not http(s), or carrying credentials.
  ['http://user:pass@127.0.0.1:{canary}/', INVALID],
  ['http://user@localhost:{canary}/', INVALID],
  ['ftp://127.0.0.1:{canary}/', INVALID],
  ['file:///etc/passwd', INVALID],
  ['gopher://127.0.0.1:{canary}/_GET%20/', INVALID],
  ['data:image/png;base64,iVBORw0KGgo=', INVALID],
  ['javascript:alert(1)', INVALID],
  ['ws://127.0.0.1:{canary}/', INVALID],
  ['not a url', INVALID],
];

/** Redirect targets served by the origin; every hop is judged like the first URL. */
const REDIRECT_TARGETS: readonly (readonly [target: string, code: string])[] = [
  ['http://127.0.0.1:{canary}/', BLOCKED],
  ['http://localhost:{canary}/', BLOCKED],
  ['http://[::1]:{canary}/', BLOCKED],
  ['http://2130706433:{canary}/', BLOCKED],
  ['http://0x7f.1:{canary}/', BLOCKED],
  ['http://[::ffff:127.0.0.1]:{canary}/', BLOCKED],
  ['http://loopback.test:{canary}/', BLOCKED],
  ['http://0.0.0.0:{canary}/', BLOCKED],
  ['http://169.254.169.254/latest/meta-data/', BLOCKED],
  ['http://metadata.google.internal/computeMetadata/v1/', BLOCKED],
  ['http://10.0.0.1/', BLOCKED],
  ['http://[fd12::1]/', BLOCKED],
  ['http://user:pass@127.0.0.1:{canary}/', INVALID],
  ['gopher://127.0.0.1:{canary}/_', INVALID],
  ['file:///etc/passwd', INVALID],
];

describe('SSRF: URLs into private space are refused and the canary hears nothing', () => {
  let canary: Canary;
  let origin: ImageOrigin;
  let fetcher: UndiciImageFetcher;
  // The origin is on loopback too. The redirect tests trust exactly its socket address, so the
  // first hop can reach it under a public-looking name; every other loopback port (the canary's)
  // and every other private address stays refused, which is what the redirect hops exercise.
  let redirecting: UndiciImageFetcher;
  let originUrl: string;
  const withCanary = (url: string) => url.replaceAll('{canary}', String(canary.port));

  beforeAll(async () => {
    canary = await startCanary();
    origin = await startImageOrigin();
    const originPort = Number(new URL(origin.url).port);
    originUrl = `http://images.example.test:${originPort}`;
    fetcher = new UndiciImageFetcher({ lookup: tableLookup(DNS), timeoutMs: 5_000 });
    redirecting = new UndiciImageFetcher({
      lookup: tableLookup(DNS),
      timeoutMs: 5_000,
      trustedEndpoints: [{ address: '127.0.0.1', port: originPort }],
    });
  });
  afterAll(async () => {
    await fetcher?.close();
    await redirecting?.close();
    await origin?.close();
    await canary?.close();
  });

  it('covers at least 40 direct URLs and 10 redirect targets', () => {
    expect(DIRECT.length).toBeGreaterThanOrEqual(40);
    expect(REDIRECT_TARGETS.length).toBeGreaterThanOrEqual(10);
  });

  it.each(DIRECT)('refuses %s with %s', async (url, code) => {
    const failure = await failureOf(fetcher.fetch(withCanary(url)));
    expect(failure).toMatchObject({ code, transient: false });
    expect(canary.requests()).toBe(0);
  });

  it('names the address class in the message', async () => {
    const metadata = await failureOf(fetcher.fetch('http://metadata.google.internal/'));
    expect(metadata.message).toBe(
      'metadata.google.internal resolves to 169.254.169.254, which is not a public address (link-local, cloud metadata)',
    );
    const nat64 = await failureOf(fetcher.fetch('http://[64:ff9b::a00:1]/'));
    expect(nat64.message).toBe('64:ff9b::a00:1 is not a public address (NAT64 form of private)');
  });

  it('refuses localhost through the system resolver, the default', async () => {
    const plain = new UndiciImageFetcher();
    try {
      const failure = await failureOf(plain.fetch(`http://localhost:${canary.port}/`));
      expect(failure).toMatchObject({ code: BLOCKED, transient: false });
      expect(failure.message).toMatch(/^localhost resolves to (127\.0\.0\.1|::1), which is not a public address \(loopback\)$/);
      expect(canary.requests()).toBe(0);
    } finally {
      await plain.close();
    }
  });

  it('refuses the origin itself without the trusted endpoint', async () => {
    const before = origin.totalHits();
    const failure = await failureOf(fetcher.fetch(`${origin.url}/images/dune.jpg`));
    expect(failure.code).toBe(BLOCKED);
    expect(origin.totalHits()).toBe(before);
  });

  it('reaches the trusted origin under its public-looking name (control for the redirect tests)', async () => {
    expect((await redirecting.fetch(`${originUrl}/images/dune.jpg`)).format).toBe('jpeg');
    expect((await redirecting.fetch(`${originUrl}/redirect-chain/2`)).format).toBe('jpeg');
  });

  it.each(REDIRECT_TARGETS)('refuses a redirect to %s with %s', async (target, code) => {
    const url = `${originUrl}/redirect?to=${encodeURIComponent(withCanary(target))}`;
    const before = origin.hits('/redirect');
    const failure = await failureOf(redirecting.fetch(url));
    expect(failure).toMatchObject({ code, transient: false });
    expect(origin.hits('/redirect')).toBe(before + 1);
    expect(canary.requests()).toBe(0);
  });

  it('refuses a private hop deep in a redirect chain', async () => {
    const inner = `${originUrl}/redirect?to=${encodeURIComponent(`http://127.1:${canary.port}/`)}`;
    const failure = await failureOf(redirecting.fetch(`${originUrl}/redirect?to=${encodeURIComponent(inner)}`));
    expect(failure.code).toBe(BLOCKED);
    expect(canary.requests()).toBe(0);
  });

  it('refuses too many redirects', async () => {
    const failure = await failureOf(redirecting.fetch(`${originUrl}/redirect-chain/6`));
    expect(failure).toMatchObject({ code: 'image.too_many_redirects', transient: false });
  });

  it('resolves a name once per connection and connects to the checked answer (no rebinding)', async () => {
    let calls = 0;
    // Public-looking first answer (trusted here), private ever after: a second lookup at
    // connect time would send the request to 10.0.0.1 and fail.
    const rebinding = new UndiciImageFetcher({
      lookup: async () => [{ address: calls++ === 0 ? '127.0.0.1' : '10.0.0.1', family: 4 }],
      trustedEndpoints: [{ address: '127.0.0.1', port: Number(new URL(origin.url).port) }],
      timeoutMs: 5_000,
    });
    try {
      const image = await rebinding.fetch(`http://rebind.test:${new URL(origin.url).port}/images/dune.jpg`);
      expect(image.format).toBe('jpeg');
      expect(calls).toBe(1);
    } finally {
      await rebinding.close();
    }
  });
});

describe('the canary', () => {
  it('counts a request that is let through (so zero above means zero)', async () => {
    const canary = await startCanary();
    const open = new UndiciImageFetcher({ allowPrivateNetworks: true, timeoutMs: 5_000 });
    try {
      const failure = await failureOf(open.fetch(`${canary.url}/`));
      expect(failure.code).toBe('image.not_an_image');
      await failureOf(open.fetch(`http://[::1]:${canary.port}/`));
      // Without IPv6 loopback the [::1] leak cannot connect: the SSRF table then sees a wrong code.
      expect(canary.requests()).toBe(canary.ipv6 ? 2 : 1);
    } finally {
      await open.close();
      await canary.close();
    }
  });
});
