export { blockedAddressClass } from './address-policy.js';
export type { ResolvedAddress, Resolve, TrustedEndpoint } from './checked-connector.js';
export * from './undici-image-fetcher.js';
export * from './undici-webhook-sender.js';
