import { permanentFailure } from '../../domain/index.js';

/**
 * Parses a user's image URL (or a redirect's Location against the URL that sent it) and accepts
 * http and https without credentials only. WHATWG parsing also normalizes IPv4 spellings such as
 * `0x7f.1` or `2130706433`, so the address check sees the canonical form.
 */
export function parseImageUrl(input: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(input, base);
  } catch {
    throw permanentFailure('image.invalid_url', 'The image URL is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw permanentFailure('image.invalid_url', `Only http and https image URLs are fetched, not ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw permanentFailure('image.invalid_url', 'Image URLs with credentials are not fetched');
  }
  return url;
}
