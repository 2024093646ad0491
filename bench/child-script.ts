/** Runs a bench script as its own process (through tsx, like the services) and returns its JSON. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { BenchContext } from './context.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * `node --import tsx bench/<script> ...args` with MALLOC_ARENA_MAX=2 (as the worker's npm script
 * sets it) and nothing else inherited but PATH and TESTDATA_IMAGES; resolves with its stdout
 * parsed as JSON, throws with its stderr when it fails. A run cut short kills it at cleanup.
 */
export async function runChildScript(ctx: Pick<BenchContext, 'defer'>, script: string, args: readonly string[]): Promise<unknown> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', MALLOC_ARENA_MAX: '2' };
  if (process.env.TESTDATA_IMAGES !== undefined) env.TESTDATA_IMAGES = process.env.TESTDATA_IMAGES;
  const child = spawn(process.execPath, ['--import', 'tsx', `bench/${script}`, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  ctx.defer(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  if (code !== 0) throw new Error(`bench/${script} ${args.join(' ')} exited with ${code ?? signal}: ${err.trim()}`);
  try {
    return JSON.parse(out) as unknown;
  } catch {
    throw new Error(`bench/${script} printed no JSON: ${out.slice(0, 200)}`);
  }
}
