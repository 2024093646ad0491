import { err, ok, validationFailed } from '../../domain/index.js';
import type { ReceivedItem } from '../../application/index.js';

const notJson = err(validationFailed([{ path: '', message: 'is not valid JSON' }]));
const tooLong = (max: number) => err(validationFailed([{ path: '', message: `is a line over ${max} bytes` }]));

function parse(line: string): ReceivedItem {
  try {
    return ok(JSON.parse(line) as unknown);
  } catch {
    return notJson;
  }
}

/**
 * The items of an NDJSON body, one per non-blank line, read as the consumer asks for them, so a
 * stream of any length is held a line at a time. A line that is not JSON or is longer than
 * `maxLineBytes` is an item that failed (the long one is skipped to its end unread).
 */
export async function* ndjsonItems(body: AsyncIterable<Uint8Array> | null, maxLineBytes: number): AsyncGenerator<ReceivedItem> {
  if (!body) return;
  const decoder = new TextDecoder();
  let buffered = '';
  let skipping = false;
  for await (const chunk of body) {
    buffered += decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n', start)) {
      const line = buffered.slice(start, end);
      start = end + 1;
      if (skipping) skipping = false;
      else if (line.trim() !== '') yield parse(line);
    }
    buffered = buffered.slice(start);
    // Characters count at most the bytes they were decoded from, so this bounds the memory.
    if (!skipping && buffered.length > maxLineBytes) {
      yield tooLong(maxLineBytes);
      skipping = true;
    }
    if (skipping) buffered = '';
  }
  buffered += decoder.decode();
  if (!skipping && buffered.trim() !== '') yield parse(buffered);
}
