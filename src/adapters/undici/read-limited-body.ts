import type { Dispatcher } from 'undici';
import { tooLarge } from './fetch-failures.js';

/** Drops a body that will not be read; undici reports that as an error nobody needs to hear. */
export function discardBody(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => {}).destroy();
}

/**
 * Reads a response body into memory, failing with `image.too_large` as soon as it passes
 * `maxBytes`. A declared Content-Length above the limit fails before reading; a smaller one is
 * not trusted and the count is kept while streaming.
 */
export async function readLimitedBody(response: Dispatcher.ResponseData, maxBytes: number): Promise<Buffer> {
  const { body, headers } = response;
  if (Number(headers['content-length']) > maxBytes) {
    discardBody(body);
    throw tooLarge(maxBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  // Throwing out of the loop ends the iterator, which destroys the stream and its socket.
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}
