/**
 * The HTTP load generator of the GET and list sections: wrk, a native program (Debian package
 * `wrk`), so the load costs the two shared cores little and the ratios measure the service rather
 * than the generator. One wrk thread per run; the paths and headers come from a generated Lua script.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What one wrk run measured. */
export interface WrkResult {
  readonly requests: number;
  readonly seconds: number;
  readonly rps: number;
  /** Latency percentiles in milliseconds. */
  readonly latencyMs: { readonly p50: number; readonly p75: number; readonly p90: number; readonly p99: number };
  /** Answers outside 2xx/3xx, and connect, read, write and timeout errors. */
  readonly non2xx: number;
  readonly socketErrors: number;
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
// wrk scales counts with k, M and G (base 1000).
const UNIT_COUNT: Record<string, number> = { '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9 };

/** A wrk duration such as `812.00us`, `1.25ms` or `2.00s`, in milliseconds. */
export function wrkMilliseconds(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m|h)$/.exec(text.trim());
  if (!match) throw new Error(`not a wrk duration: "${text}"`);
  return Number(match[1]) * (UNIT_MS[match[2] as string] as number);
}

function field(text: string, pattern: RegExp, what: string): RegExpExecArray {
  const match = pattern.exec(text);
  if (!match) throw new Error(`wrk output has no ${what}:\n${text}`);
  return match;
}

/** Reads the report of `wrk --latency`; throws when a figure it needs is missing. */
export function parseWrk(text: string): WrkResult {
  const total = field(text, /^\s*(\d+) requests in ([\d.]+)(us|ms|s|m|h),/m, 'request count');
  const percentile = (p: number) => wrkMilliseconds(field(text, new RegExp(`^\\s*${p}(?:\\.0+)?%\\s+(\\S+)`, 'm'), `${p}% latency`)[1] as string);
  const rate = field(text, /^Requests\/sec:\s+([\d.]+)([kKMG]?)/m, 'Requests/sec');
  const sockets = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(text);
  return {
    requests: Number(total[1]),
    seconds: wrkMilliseconds(`${total[2]}${total[3]}`) / 1000,
    rps: Number(rate[1]) * (UNIT_COUNT[rate[2] as string] as number),
    latencyMs: { p50: percentile(50), p75: percentile(75), p90: percentile(90), p99: percentile(99) },
    non2xx: non2xx ? Number(non2xx[1]) : 0,
    socketErrors: sockets ? sockets.slice(1).reduce((sum, count) => sum + Number(count), 0) : 0,
  };
}

const luaString = (text: string) => JSON.stringify(text);

/**
 * The Lua script of a run: every request is a GET of one of `paths` picked at random, with
 * `headers`; the requests are formatted once, in init.
 */
export function wrkScript(paths: readonly string[], headers: Readonly<Record<string, string>> = {}): string {
  if (paths.length === 0) throw new Error('wrk needs at least one path');
  return [
    ...Object.entries(headers).map(([name, value]) => `wrk.headers[${luaString(name)}] = ${luaString(value)}`),
    'local paths = {',
    ...paths.map((path) => `  ${luaString(path)},`),
    '}',
    'local requests = {}',
    'init = function(args)',
    '  math.randomseed(os.time())',
    '  for i, path in ipairs(paths) do requests[i] = wrk.format("GET", path) end',
    'end',
    'request = function() return requests[math.random(#requests)] end',
    '',
  ].join('\n');
}

let installed: string | undefined;

/**
 * The wrk binary: found on PATH, else installed with apt-get when this runs as root on a Debian
 * system (the bench's setup), else an error that says how to get it.
 */
export function ensureWrk(): string {
  if (installed) return installed;
  const found = () => spawnSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).stdout.trim();
  let path = found();
  if (path === '') {
    const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).stdout.trim() !== '';
    if (!hasApt || process.getuid?.() !== 0) {
      throw new Error('wrk is not installed: the HTTP bench sections need it. Install the Debian package (`sudo apt-get install -y wrk`) or put a wrk binary on PATH.');
    }
    process.stderr.write('wrk is missing: apt-get update && apt-get install -y wrk\n');
    const result = spawnSync('sh', ['-c', 'apt-get update && apt-get install -y wrk'], { stdio: ['ignore', 'ignore', 'inherit'] });
    path = found();
    if (result.status !== 0 || path === '') throw new Error('wrk could not be installed with apt-get (see its output above); install it by hand and run again.');
  }
  installed = path;
  return path;
}

export interface WrkOptions {
  readonly url: string;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly paths: readonly string[];
  readonly headers?: Readonly<Record<string, string>>;
}

/** One wrk run (one thread, `connections` connections, `--latency`), parsed. */
export async function runWrk({ url, connections, durationSeconds, paths, headers }: WrkOptions): Promise<WrkResult> {
  const wrk = ensureWrk();
  const dir = await mkdtemp(join(tmpdir(), 'bench-wrk-'));
  try {
    const script = join(dir, 'load.lua');
    await writeFile(script, wrkScript(paths, headers));
    const child = spawn(wrk, ['-t1', `-c${connections}`, `-d${durationSeconds}s`, '--latency', '-s', script, url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (code !== 0) throw new Error(`wrk exited with ${code}: ${err}${out}`);
    return parseWrk(out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
