import type { ImageResult } from '../domain/index.js';
import { contentKey } from './content-key.js';
import type { NewObject } from './object-lifecycle.js';
import type { CompressedRenditions, ObjectStore } from './ports/index.js';

const hex = (digest: ArrayBuffer) => Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');

/**
 * SHA-256 of the source's own SHA-256 and the compressor's fingerprint: equal exactly when the
 * same bytes would be compressed with the same settings. Hashing the digest, not a concatenation,
 * spares a copy of the source.
 */
export async function sourceDigest(source: Uint8Array, fingerprint: string): Promise<string> {
  const bytes = hex(await crypto.subtle.digest('SHA-256', source));
  return hex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${bytes}\n${fingerprint}`)));
}

/** The objects to store for a set of renditions, and the result that references them all. */
export async function renditionObjects(
  compressed: CompressedRenditions,
  digest: string,
  urlFor: ObjectStore['urlFor'],
): Promise<{ objects: NewObject[]; result: ImageResult }> {
  const keyed = await Promise.all(
    compressed.renditions.map(async (rendition) => ({ rendition, key: await contentKey('images', rendition.bytes, rendition.format) })),
  );
  const { primary } = compressed;
  const key = await contentKey('images', primary.bytes, primary.format);
  const result: ImageResult = {
    key,
    url: urlFor(key),
    width: primary.width,
    height: primary.height,
    bytes: primary.bytes.byteLength,
    format: primary.format,
    renditions: keyed.map(({ rendition, key }) => ({
      key,
      url: urlFor(key),
      width: rendition.width,
      height: rendition.height,
      format: rendition.format,
      bytes: rendition.bytes.byteLength,
    })),
    placeholder: compressed.placeholder,
    source_digest: digest,
    reused: false,
  };
  const objects = keyed.map(({ rendition, key }) => ({ key, body: rendition.bytes, contentType: rendition.contentType }));
  return { objects, result };
}
