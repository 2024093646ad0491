import { describe, expect, it } from 'vitest';
import { blockedAddressClass } from '../../../src/adapters/undici/index.js';
import { pinnedLookup } from '../../../src/adapters/undici/checked-connector.js';
import { failureForError } from '../../../src/adapters/undici/fetch-failures.js';

describe('blockedAddressClass', () => {
  it.each([
    ['8.8.8.8'],
    ['93.184.216.34'],
    ['2606:4700::1111'],
    ['2a00:1450:4001:80b::200e'],
    // IPv4-mapped and NAT64 forms of a public address are that public address.
    ['::ffff:8.8.8.8'],
    ['64:ff9b::808:808'],
  ])('lets %s through', (address) => {
    expect(blockedAddressClass(address)).toBeNull();
  });

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.1', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['169.254.0.1', 'link-local'],
    ['169.254.169.254', 'link-local, cloud metadata'],
    ['fd00:ec2::254', 'unique-local, cloud metadata'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['198.18.0.1', 'benchmarking'],
    ['198.19.255.255', 'benchmarking'],
    ['192.0.2.1', 'documentation'],
    ['198.51.100.1', 'documentation'],
    ['203.0.113.1', 'documentation'],
    ['2001:db8::1', 'documentation'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fec0::1', 'site-local'],
    ['ff02::1', 'multicast'],
    ['::127.0.0.1', 'IPv4-compatible'],
    ['::10.0.0.1', 'IPv4-compatible'],
    ['::8.8.8.8', 'IPv4-compatible'],
    ['::ffff:0:7f00:1', 'IPv4-translated'],
    ['64:ff9b::7f00:1', 'NAT64 form of loopback'],
    ['64:ff9b::a00:1', 'NAT64 form of private'],
    ['64:ff9b::a9fe:a9fe', 'NAT64 form of link-local, cloud metadata'],
    ['64:ff9b:1::a00:1', 'local-use NAT64'],
    ['2002:7f00:1::', '6to4'],
    ['2002:808:808::1', '6to4'],
    ['2001::1', 'Teredo'],
    ['2001:2::1', 'benchmarking'],
    ['2620:4f:8000::1', 'as112v6'],
    ['100::1', 'discard'],
    ['4000::1', 'not globally routable'],
    ['127.1', 'not an IP address'],
    ['2130706433', 'not an IP address'],
    ['localhost', 'not an IP address'],
  ])('refuses %s as %s', (address, reason) => {
    expect(blockedAddressClass(address)).toBe(reason);
  });
});

describe('pinnedLookup', () => {
  const addresses = [
    { address: '127.0.0.1', family: 4 },
    { address: '::1', family: 6 },
  ];

  it('answers with every checked address when asked for all', () => {
    pinnedLookup(addresses)('ignored.test', { all: true }, (error, answer) => {
      expect(error).toBeNull();
      expect(answer).toEqual(addresses);
    });
  });

  it('answers with the first checked address otherwise', () => {
    pinnedLookup(addresses)('ignored.test', {}, (error, answer, family) => {
      expect(error).toBeNull();
      expect([answer, family]).toEqual(['127.0.0.1', 4]);
    });
  });
});

describe('failureForError', () => {
  it('keeps only the error code, never the message', () => {
    const failure = failureForError(Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:5432'), { code: 'ECONNREFUSED' }));
    expect(failure).toMatchObject({ code: 'image.connection_failed', transient: true });
    expect(failure.message).toBe('Could not download the image (ECONNREFUSED)');
  });

  it.each([new Error('internal detail'), null, 'text'])('describes %s without a code generically', (error) => {
    expect(failureForError(error).message).toBe('Could not download the image (network error)');
  });
});
