import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { reachableService } from './local-service.js';
import { freePort } from './spawn-service.js';

const DEFAULT_URL = 'redis://127.0.0.1:6379';
const START_COMMAND =
  'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log';

/**
 * For tests that assert what Redis answered: generous, because a loaded CI machine can take more
 * than the production 50 ms, and a timed-out call would fail open and pass or fail for the wrong reason.
 */
export const TEST_COMMAND_TIMEOUT_MS = 500;

let shared: Promise<string> | undefined;

/**
 * The shared test Redis: TEST_REDIS_URL, else REDIS_URL, else the local default; when it is down, a
 * redis:7 container where Docker is available, and otherwise an error saying how to start one.
 * Never flush it: write under a prefix of your own (`useSharedRedis`).
 */
export function redisUrl(): Promise<string> {
  shared ??= reachableService({
    name: 'Redis',
    url: process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? DEFAULT_URL,
    async check(url) {
      const client = new Redis(url, { lazyConnect: true, connectTimeout: 5_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.ping();
      } finally {
        client.disconnect();
      }
    },
    container: { image: 'redis:7', port: 6379, readyLog: 'Ready to accept connections', url: (host, port) => `redis://${host}:${port}` },
    howToStart: [
      `Start the local server:  ${START_COMMAND}`,
      'or set TEST_REDIS_URL to a Redis 7 server (keys are written under a random prefix, never flushed).',
    ],
  });
  return shared;
}

/** The shared server for one test file, with a random key prefix whose keys are deleted in afterAll. */
export interface SharedRedis {
  /** Available from beforeAll on. */
  readonly url: string;
  readonly prefix: string;
}

/** Resolves the shared server in beforeAll and deletes this file's keys (only those) in afterAll. */
export function useSharedRedis(): SharedRedis {
  const prefix = `test-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  let url: string | undefined;
  beforeAll(async () => {
    url = await redisUrl();
  });
  afterAll(async () => {
    if (url !== undefined) await deleteKeys(url, `${prefix}*`);
  });
  return {
    prefix,
    get url() {
      if (url === undefined) throw new Error('the Redis URL is known from beforeAll on');
      return url;
    },
  };
}

/** A redis-server child process of one test file, on a free loopback port. */
export interface PrivateRedis {
  readonly url: string;
  readonly port: number;
  /** The current process (a restart starts a new one). */
  readonly pid: number;
  /** SIGSTOP: connections stay open and nothing answers. */
  pause(): void;
  /** SIGCONT. */
  resume(): void;
  /** SIGKILL; resolves once the process is gone. Its data goes with it. */
  kill(): Promise<void>;
  /** A fresh, empty server on the same port (killing the current one first if it runs). */
  restart(): Promise<void>;
  /** Stops the server whatever its state, paused included. Safe to call twice. */
  close(): Promise<void>;
}

/** Starts `redis-server --port <free> --save '' --appendonly no`; throws with a hint when it is not installed. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const started = await spawnOnPort(() => freePort());
  const { port } = started;
  let { child } = started;
  const alive = () => child.exitCode === null && child.signalCode === null;
  const stop = async (signal: NodeJS.Signals) => {
    if (!alive()) return;
    const exited = once(child, 'exit');
    // A stopped process acts on SIGTERM only once continued.
    child.kill('SIGCONT');
    child.kill(signal);
    await exited;
  };
  // Last resort when a test file dies without closing: never leave a server behind.
  const onExit = () => alive() && child.kill('SIGKILL');
  process.on('exit', onExit);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get pid() {
      return child.pid ?? -1;
    },
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    kill: () => stop('SIGKILL'),
    async restart() {
      await stop('SIGKILL');
      ({ child } = await spawnOnPort(async (attempt) => (attempt > 1 ? delay(100).then(() => port) : port)));
    },
    async close() {
      process.off('exit', onExit);
      const timer = setTimeout(() => alive() && child.kill('SIGKILL'), 5_000);
      await stop('SIGTERM');
      clearTimeout(timer);
    },
  };
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A free port can be taken before redis-server binds it: `choosePort` gives the next try's port.
async function spawnOnPort(choosePort: (attempt: number) => Promise<number>): Promise<{ child: ChildProcess; port: number }> {
  for (let attempt = 1; ; attempt += 1) {
    const port = await choosePort(attempt);
    try {
      return { child: await spawnRedis(port), port };
    } catch (error) {
      if (attempt === 5 || !String(error).includes('Address already in use')) throw error;
    }
  }
}

async function spawnRedis(port: number): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tmpdir()];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let started = false;
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      // After startup the log is only drained, so a full pipe never blocks the server.
      if (started) return;
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new Error('redis-server is not on PATH: install Redis 7 (apt-get install redis-server) to run these tests.')
          : error,
      ),
    );
    child.once('exit', (code) => reject(new Error(`redis-server on port ${port} exited with ${code}: ${output}`)));
  });
  started = true;
  return child;
}

async function deleteKeys(url: string, pattern: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length > 0) await client.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

