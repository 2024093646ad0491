import { CONTENT_TYPES, type OutputFormat, type SourceFormat } from '../domain/index.js';

const EXTENSIONS: Readonly<Record<SourceFormat | OutputFormat, string>> = {
  jpeg: 'jpg',
  png: 'png',
  webp: 'webp',
  gif: 'gif',
  avif: 'avif',
  heif: 'heic',
  tiff: 'tif',
  svg: 'svg',
};

/**
 * `prefix/<sha-256 of the bytes>.<ext>`: the same bytes always get the same key, so a redelivered
 * job overwrites its own object instead of adding one. Web Crypto is a global on every
 * supported Node version, which keeps this layer free of imports.
 */
export async function contentKey(prefix: string, bytes: Uint8Array, format: SourceFormat | OutputFormat): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return digestKey(prefix, Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join(''), format);
}

/** The same key from a SHA-256 already computed (hex), e.g. while an upload streamed to disk. */
export const digestKey = (prefix: string, sha256: string, format: SourceFormat | OutputFormat): string => `${prefix}/${sha256}.${EXTENSIONS[format]}`;

export const contentTypeOf = (format: SourceFormat | OutputFormat): string => CONTENT_TYPES[format];
