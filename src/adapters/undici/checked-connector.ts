import { lookup as systemLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { permanentFailure, transientFailure } from '../../domain/index.js';
import { blockedAddressClass } from './address-policy.js';
import { errorCode } from './fetch-failures.js';

/** One address a host name resolves to. */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: number;
}

/** Resolves a host name to every address it has (the system resolver by default). */
export type Resolve = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** A socket address let through despite the address rule: a test seam, empty in production. */
export interface TrustedEndpoint {
  readonly address: string;
  readonly port: number;
}

export interface CheckedConnectorOptions {
  readonly resolve?: Resolve;
  readonly allowPrivateNetworks: boolean;
  readonly trustedEndpoints: readonly TrustedEndpoint[];
  readonly timeoutMs: number;
}

const resolveWithSystem: Resolve = (hostname) => systemLookup(hostname, { all: true });

// Exact spelling: the resolver and WHATWG URL both produce canonical addresses.
const endpointKey = (address: string, port: number) => `${address} ${port}`;

/**
 * A lookup that answers with addresses already checked, so the socket connects to exactly what
 * was judged: there is no second resolution an attacker's DNS could answer differently.
 */
export const pinnedLookup =
  (addresses: readonly ResolvedAddress[]): LookupFunction =>
  (_hostname, options, callback) => {
    const [first] = addresses as [ResolvedAddress];
    if (options.all) callback(null, addresses.map(({ address, family }) => ({ address, family })));
    else callback(null, first.address, first.family);
  };

async function resolveOnce(hostname: string, resolve: Resolve): Promise<readonly ResolvedAddress[]> {
  let addresses: readonly ResolvedAddress[];
  try {
    addresses = await resolve(hostname);
  } catch (error) {
    // Transient even for ENOTFOUND: getaddrinfo reports a resolver outage the same way on some
    // systems, and a few bounded retries cost less than losing a good image to a DNS blip.
    throw transientFailure('image.connection_failed', `Could not resolve ${hostname} (${errorCode(error) ?? 'lookup failed'})`);
  }
  if (addresses.length === 0) throw transientFailure('image.connection_failed', `${hostname} has no addresses`);
  return addresses;
}

/**
 * An undici connector that resolves the host once, refuses the connection when any of its
 * addresses is not public, and connects to the checked addresses only. IP literals are judged
 * here too: Node never calls `lookup` for them, so a lookup-only guard would let them through.
 */
export function checkedConnector(options: CheckedConnectorOptions): buildConnector.connector {
  const resolve = options.resolve ?? resolveWithSystem;
  const trusted = new Set(options.trustedEndpoints.map(({ address, port }) => endpointKey(address, port)));

  async function checkedAddresses(hostname: string, port: number): Promise<readonly ResolvedAddress[]> {
    const family = isIP(hostname);
    const addresses = family === 0 ? await resolveOnce(hostname, resolve) : [{ address: hostname, family }];
    if (options.allowPrivateNetworks) return addresses;
    for (const { address } of addresses) {
      const blocked = blockedAddressClass(address);
      if (blocked === null || trusted.has(endpointKey(address, port))) continue;
      const subject = family === 0 ? `${hostname} resolves to ${address}, which` : address;
      throw permanentFailure('image.blocked_address', `${subject} is not a public address (${blocked})`);
    }
    return addresses;
  }

  return (connectOptions, callback) => {
    const port = Number(connectOptions.port) || (connectOptions.protocol === 'https:' ? 443 : 80);
    checkedAddresses(connectOptions.hostname, port).then(
      (addresses) => {
        // Happy eyeballs across every checked address; the TLS name stays the URL's host.
        const connect = buildConnector({ timeout: options.timeoutMs, autoSelectFamily: true, lookup: pinnedLookup(addresses) });
        connect(connectOptions, callback);
      },
      (error: Error) => callback(error, null),
    );
  };
}

/** How a caller of the checked agent chooses its address policy (every field optional). */
export interface AddressPolicyOptions {
  readonly allowPrivateNetworks?: boolean;
  readonly lookup?: Resolve;
  readonly trustedEndpoints?: readonly TrustedEndpoint[];
}

/**
 * An undici Agent of its own (proxy variables never apply) whose every connection goes through
 * the checked connector: the image fetcher's and the webhook sender's, one address policy.
 */
export const checkedAgent = (policy: AddressPolicyOptions, timeoutMs: number, agentOptions: Agent.Options = {}): Agent =>
  new Agent({
    ...agentOptions,
    connect: checkedConnector({
      resolve: policy.lookup,
      allowPrivateNetworks: policy.allowPrivateNetworks ?? false,
      trustedEndpoints: policy.trustedEndpoints ?? [],
      timeoutMs,
    }),
  });
