import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { TEST_ADMIN_KEY } from './admin-key.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface SpawnedService {
  readonly child: ChildProcess;
  /** Base URL from the `service started` log line. */
  readonly url: string;
  /** Every stdout line parsed as JSON so far (the pino log). */
  readonly logs: Record<string, unknown>[];
  readonly stderr: () => string;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

// Children still running when the test process exits (a timed-out test never reached its
// cleanup) are killed with it, so no server outlives the run.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Runs a src/main entry point as its own process, the way `npm start` does (through tsx). */
export function runEntry(entry: string, env: Record<string, string>, args: readonly string[] = []): ChildProcess {
  const child = spawnEntry(entry, env, args);
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

function spawnEntry(entry: string, env: Record<string, string>, args: readonly string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', `src/main/${entry}`, ...args], {
    cwd: root,
    // Only what the test gives: no inherited DATABASE_URL and friends.
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Starts an entry point and waits for its `service started` line (or its death); TEST_ADMIN_KEY is its admin key unless `env` sets one. */
export async function spawnService(entry: string, env: Record<string, string>, timeoutMs = 30_000): Promise<SpawnedService> {
  const child = runEntry(entry, { PORT: '0', WORKER_PORT: '0', HOST: '127.0.0.1', ADMIN_API_KEY: TEST_ADMIN_KEY, ...env });
  const logs: Record<string, unknown>[] = [];
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  let buffered = '';
  const started = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within ${timeoutMs} ms; stderr: ${err}`)), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        logs.push(parsed);
        if (parsed.msg === 'service started') {
          clearTimeout(timer);
          resolve(String(parsed.url));
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before starting; stderr: ${err}; logs: ${JSON.stringify(logs)}`));
    });
  });
  const url = await started;
  return {
    child,
    url,
    logs,
    stderr: () => err,
    async stop(signal = 'SIGTERM') {
      // A child killed by a signal has exitCode null and signalCode set: either means it is gone.
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = once(child, 'exit');
      child.kill(signal);
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}

/** Runs an entry point to completion and returns its exit code and output. */
export async function runToExit(entry: string, env: Record<string, string>, args: readonly string[] = []) {
  const child = runEntry(entry, env, args);
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout: out, stderr: err };
}

/** A TCP port free on 127.0.0.1 right now (for services whose URLs must be known up front). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
