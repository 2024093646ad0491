import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KeyCrypto } from '../../application/index.js';

/** KeyCrypto on node:crypto: the system's CSPRNG, SHA-256 and timingSafeEqual. */
export class NodeKeyCrypto implements KeyCrypto {
  randomHex(bytes: number): string {
    return randomBytes(bytes).toString('hex');
  }

  randomBase64Url(bytes: number): string {
    return randomBytes(bytes).toString('base64url');
  }

  digest(text: string): string {
    return createHash('sha256').update(text, 'utf8').digest('hex');
  }

  sameDigest(a: string, b: string): boolean {
    const left = Buffer.from(a, 'hex');
    const right = Buffer.from(b, 'hex');
    // Digests all have one length; a different length is no match, and says nothing about the secret.
    return left.length === right.length && timingSafeEqual(left, right);
  }
}
