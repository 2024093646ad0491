import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { request } from 'node:http';
import { request as requestTls } from 'node:https';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';

/** `npm run import -- <file.csv|file.ndjson> [--api URL] [--key KEY]`, parsed. */
export interface ImportArgs {
  readonly file: string;
  readonly api: string;
  readonly key: string;
}

export const IMPORT_USAGE = 'usage: npm run import -- <products.csv|products.ndjson> [--api URL] [--key KEY]';
/** Rows per request: the bulk endpoint's NDJSON limit. */
export const ROWS_PER_REQUEST = 100_000;

export function parseImportArgs(argv: readonly string[], defaults: { api: string; key: string | undefined }): ImportArgs {
  let file: string | undefined;
  let api = defaults.api;
  let key = defaults.key;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--api' || arg === '--key') {
      const value = argv[(i += 1)];
      if (value === undefined) throw new Error(`${arg} needs a value\n${IMPORT_USAGE}`);
      if (arg === '--api') api = value;
      else key = value;
    } else if (arg.startsWith('--') || file !== undefined) {
      throw new Error(`unexpected argument ${arg}\n${IMPORT_USAGE}`);
    } else {
      file = arg;
    }
  }
  if (file === undefined || !/\.(csv|ndjson|jsonl)$/i.test(file)) throw new Error(`name a .csv or .ndjson file\n${IMPORT_USAGE}`);
  if (key === undefined) throw new Error(`give an API key with --key (or set ADMIN_API_KEY)\n${IMPORT_USAGE}`);
  return { file, api: api.replace(/\/+$/, ''), key };
}

/** A CSV row as a product: product_images separated by `|` or whitespace; the price a number. */
export function csvProduct(row: Record<string, string>): unknown {
  const number = (text: string | undefined) => (text === undefined || text.trim() === '' || Number.isNaN(Number(text)) ? text : Number(text));
  return {
    ...row,
    ...(row.user_id !== undefined && { user_id: number(row.user_id) }),
    ...(row.product_price !== undefined && { product_price: number(row.product_price) }),
    product_images: (row.product_images ?? '').split(/[|\s]+/).filter((url) => url !== ''),
  };
}

/** The rows of the file, as products to send, with the bytes read so far (for the ETA). */
async function* rowsOf(file: string, read: { bytes: number }): AsyncGenerator<string> {
  const input = createReadStream(file);
  input.on('data', (chunk) => (read.bytes += chunk.length));
  if (/\.csv$/i.test(file)) {
    for await (const row of input.pipe(parse({ columns: true, skip_empty_lines: true, trim: true, relax_column_count: true }))) {
      yield JSON.stringify(csvProduct(row as Record<string, string>));
    }
    return;
  }
  for await (const line of createInterface({ input, crlfDelay: Infinity })) if (line.trim() !== '') yield line;
}

export interface ImportSummary {
  rows: number;
  created: number;
  replayed: number;
  rejected: number;
  seconds: number;
  rejectedFile: string | null;
}

type Result = { index: number; status: number; replayed?: boolean; problem?: unknown };

/** Sends `lines` as one NDJSON bulk request and calls `onResult` for each answered line. */
function sendBatch(args: ImportArgs, idempotencyKey: string, lines: AsyncIterable<string>, onResult: (result: Result) => void): Promise<void> {
  const url = new URL('/products/bulk', args.api);
  const send = url.protocol === 'https:' ? requestTls : request;
  return new Promise((resolve, reject) => {
    const req = send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${args.key}`, 'idempotency-key': idempotencyKey },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => reject(new Error(`the API answered ${res.statusCode}: ${text.slice(0, 500)}`)));
        return;
      }
      const answers = createInterface({ input: res, crlfDelay: Infinity });
      answers.on('line', (line) => line && onResult(JSON.parse(line) as Result));
      answers.on('close', resolve);
      res.on('error', reject);
    });
    void (async () => {
      try {
        for await (const line of lines) if (!req.write(`${line}\n`)) await new Promise((ready) => req.once('drain', ready));
        req.end();
      } catch (error) {
        req.destroy(error as Error);
      }
    })();
  });
}

/**
 * Streams the file to POST /products/bulk, 100,000 rows a request, with an Idempotency-Key made
 * from the file's path, size and modification time: running the same import again after a failure
 * resumes it (created rows replay). Rejected rows go to `<file>.rejected.ndjson` with their reasons.
 */
export async function runImport(args: ImportArgs, progress: (text: string) => void = () => undefined): Promise<ImportSummary> {
  const info = await stat(args.file);
  const baseKey = `import-${createHash('sha256').update(`${args.file}\n${info.size}\n${info.mtimeMs}`).digest('hex').slice(0, 32)}`;
  const rejectedFile = `${args.file}.rejected.ndjson`;
  const rejected = createWriteStream(rejectedFile);
  const read = { bytes: 0 };
  const summary: ImportSummary = { rows: 0, created: 0, replayed: 0, rejected: 0, seconds: 0, rejectedFile: null };
  const started = performance.now();
  const rows = rowsOf(args.file, read)[Symbol.asyncIterator]();
  const inFlight = new Map<number, string>();
  let done = false;
  let answered = 0;
  const timer = setInterval(() => {
    const seconds = (performance.now() - started) / 1000;
    const rate = answered / seconds;
    const eta = read.bytes > 0 && rate > 0 ? Math.max(0, (seconds * info.size) / read.bytes - seconds) : NaN;
    progress(`${answered.toLocaleString('en')} rows, ${Math.round(rate).toLocaleString('en')} rows/s, ETA ${Number.isFinite(eta) ? `${Math.ceil(eta)} s` : '?'}`);
  }, 500);
  try {
    for (let batch = 0; !done; batch += 1) {
      const offset = batch * ROWS_PER_REQUEST;
      async function* lines(): AsyncGenerator<string> {
        for (let n = 0; n < ROWS_PER_REQUEST; n += 1) {
          const next = await rows.next();
          if (next.done) {
            done = true;
            return;
          }
          inFlight.set(offset + n, next.value);
          summary.rows += 1;
          yield next.value;
        }
      }
      await sendBatch(args, `${baseKey}-${batch}`, lines(), (result) => {
        answered += 1;
        const row = inFlight.get(offset + result.index);
        inFlight.delete(offset + result.index);
        if (result.status === 201) summary[result.replayed ? 'replayed' : 'created'] += 1;
        else {
          summary.rejected += 1;
          rejected.write(`${JSON.stringify({ row: offset + result.index + 1, input: row, problem: result.problem })}\n`);
        }
      });
    }
  } finally {
    clearInterval(timer);
    await new Promise((resolve) => rejected.end(resolve));
  }
  summary.seconds = (performance.now() - started) / 1000;
  summary.rejectedFile = summary.rejected > 0 ? rejectedFile : null;
  return summary;
}

/** The summary as the command prints it. */
export const summaryText = (s: ImportSummary): string =>
  `${s.rows} rows in ${s.seconds.toFixed(1)} s (${Math.round(s.rows / Math.max(s.seconds, 0.001))} rows/s): ${s.created} created, ${s.replayed} already there, ${s.rejected} rejected` +
  (s.rejectedFile ? ` (reasons in ${s.rejectedFile})` : '');
