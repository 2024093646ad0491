/**
 * The randomness and hashing API keys need, kept out of the application so it stays free of
 * platform imports (and so tests may pin the randomness).
 */
export interface KeyCrypto {
  /** `bytes` random bytes as lower-case hex. */
  randomHex(bytes: number): string;
  /** `bytes` random bytes as base64url without padding. */
  randomBase64Url(bytes: number): string;
  /** Hex SHA-256 of the UTF-8 text. */
  digest(text: string): string;
  /** Whether two hex digests are equal, in time that does not depend on where they differ. */
  sameDigest(a: string, b: string): boolean;
}
