/** Runs a bench script as its own process (through tsx, like the services) and returns its JSON. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { BenchContext } from './context.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** A child script started by startChildScript. */
export interface RunningChildScript {
  /** Closes the script's stdin (its signal to finish, for scripts that wait for one) and resolves with its JSON. */
  finish(): Promise<unknown>;
}

/**
 * `node --import tsx bench/<script> ...args` with MALLOC_ARENA_MAX=2 (as the worker's npm script
 * sets it) and nothing else inherited but PATH and TESTDATA_IMAGES; its stdout is parsed as JSON
 * when it exits, and it fails with its stderr. A run cut short kills it at cleanup.
 */
export function startChildScript(ctx: Pick<BenchContext, 'defer'>, script: string, args: readonly string[]): RunningChildScript {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', MALLOC_ARENA_MAX: '2' };
  if (process.env.TESTDATA_IMAGES !== undefined) env.TESTDATA_IMAGES = process.env.TESTDATA_IMAGES;
  const child = spawn(process.execPath, ['--import', 'tsx', `bench/${script}`, ...args], { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] });
  ctx.defer(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  // A script that exited before finish() leaves a closed pipe: ending it must not crash the bench.
  child.stdin.on('error', () => undefined);
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  // Asked for before finish() is called, so an early failure is not an unhandled rejection.
  const result = exited.then(([code, signal]) => {
    if (code !== 0) throw new Error(`bench/${script} ${args.join(' ')} exited with ${code ?? signal}: ${err.trim()}`);
    try {
      return JSON.parse(out) as unknown;
    } catch {
      throw new Error(`bench/${script} printed no JSON: ${out.slice(0, 200)}`);
    }
  });
  result.catch(() => undefined);
  return {
    finish() {
      child.stdin.end();
      return result;
    },
  };
}

/** Runs a script to its end (its stdin closed at once) and resolves with its JSON. */
export async function runChildScript(ctx: Pick<BenchContext, 'defer'>, script: string, args: readonly string[]): Promise<unknown> {
  return startChildScript(ctx, script, args).finish();
}
