import { describe, expect, it } from 'vitest';
import { ndjsonItems } from '../../src/adapters/http/ndjson-items.js';

async function* chunks(...parts: string[]) {
  for (const part of parts) yield new TextEncoder().encode(part);
}
const read = async (body: AsyncIterable<Uint8Array> | null, max = 32) => {
  const seen: unknown[] = [];
  for await (const item of ndjsonItems(body, max)) seen.push(item.ok ? item.value : item.error.errors?.[0]?.message);
  return seen;
};

describe('ndjsonItems', () => {
  it('reads one item a line across chunk boundaries, CRLF, blank lines and a last line without newline', async () => {
    expect(await read(chunks('{"a":1}\n{"b"', ':2}\r\n\n  \n[3]', '\n"ü'.slice(0, 2), 'ü"'))).toEqual([{ a: 1 }, { b: 2 }, [3], 'ü']);
    expect(await read(null)).toEqual([]);
  });

  it('fails a line that is not JSON or too long alone, skipping the long one to its end', async () => {
    expect(await read(chunks('{oops\n', 'x'.repeat(20), 'y'.repeat(20), 'z\n{"ok":true}\n', 'w'.repeat(40)), 32)).toEqual([
      'is not valid JSON',
      'is a line over 32 bytes',
      { ok: true },
      'is a line over 32 bytes',
    ]);
  });
});
