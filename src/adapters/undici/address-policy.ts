import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

type IPv4 = ipaddr.IPv4;
type IPv6 = ipaddr.IPv6;

// Ranges that ipaddr.js folds into a broader class (link-local, reserved, unique-local), named
// apart so that a refusal says what the address is.
const NAMED_V4: readonly (readonly [cidr: string, label: string])[] = [
  ['169.254.169.254/32', 'link-local, cloud metadata'],
  ['198.18.0.0/15', 'benchmarking'],
  ['192.0.2.0/24', 'documentation'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
];
const NAMED_V6: readonly (readonly [cidr: string, label: string])[] = [
  ['fd00:ec2::254/128', 'unique-local, cloud metadata'],
  ['2001:db8::/32', 'documentation'],
  ['64:ff9b:1::/48', 'local-use NAT64'],
];

const LABELS: Partial<Record<string, string>> = {
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade NAT',
  private: 'private',
  reserved: 'reserved',
  uniqueLocal: 'unique-local',
  deprecatedSiteLocal: 'site-local',
  rfc6145: 'IPv4-translated',
  '6to4': '6to4',
  teredo: 'Teredo',
  benchmarking: 'benchmarking',
};

// ipaddr.js reads a dotted tail as IPv4-mapped whatever precedes it (`::8.8.8.8` comes out as
// `::ffff:8.8.8.8`), so the tail is rewritten as hex first; zone ids do not change the class.
const canonical = (address: string) =>
  address
    .split('%')[0]!
    .replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a, b, c, d) =>
      [Number(a) * 256 + Number(b), Number(c) * 256 + Number(d)].map((group) => group.toString(16)).join(':'),
    );

const inRange = (address: IPv4 | IPv6, cidr: string) => address.match(ipaddr.parseCIDR(cidr));
const named = (address: IPv4 | IPv6, table: typeof NAMED_V4) => table.find(([cidr]) => inRange(address, cidr))?.[1];
const label = (range: string) => LABELS[range] ?? range;

function ipv4Class(address: IPv4): string | null {
  const range = address.range();
  return named(address, NAMED_V4) ?? (range === 'unicast' ? null : label(range));
}

function ipv6Class(address: IPv6): string | null {
  // NAT64 (RFC 6052) is how IPv6-only networks with DNS64 reach IPv4 hosts, so its well-known
  // prefix is judged by the IPv4 address it carries.
  if (inRange(address, '64:ff9b::/96')) {
    const embedded = ipv4Class(ipaddr.fromByteArray(address.toByteArray().slice(12)) as IPv4);
    return embedded && `NAT64 form of ${embedded}`;
  }
  const range = address.range();
  const special = named(address, NAMED_V6) ?? (range === 'unicast' ? undefined : label(range));
  if (special) return special;
  // Only global unicast (2000::/3) is routed on the internet; ::/96 holds the deprecated
  // IPv4-compatible forms such as ::127.0.0.1.
  if (inRange(address, '2000::/3')) return null;
  return inRange(address, '::/96') ? 'IPv4-compatible' : 'not globally routable';
}

/**
 * Why `address` must not be connected to (`'loopback'`, `'private'`, `'link-local, cloud
 * metadata'`…), or null for a public unicast address. IPv4-mapped IPv6 is judged as the IPv4
 * address it maps. Only canonical spellings are judged (WHATWG URL and the resolver produce them):
 * anything else, `127.1` included, is refused rather than guessed at.
 */
export function blockedAddressClass(address: string): string | null {
  if (isIP(address) === 0) return 'not an IP address';
  const parsed = ipaddr.process(isIP(address) === 6 ? canonical(address) : address);
  return parsed.kind() === 'ipv4' ? ipv4Class(parsed as IPv4) : ipv6Class(parsed as IPv6);
}
