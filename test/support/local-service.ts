import { open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { redactUrlPasswords } from '../../src/application/index.js';

/** How tests find one backing service: the configured URL, else a container, else a clear error. */
export interface LocalService {
  /** Human name, e.g. `PostgreSQL`. */
  readonly name: string;
  /** The URL from the environment or the local default. */
  readonly url: string;
  /** Resolves when `url` answers; rejects with the reason otherwise. */
  check(url: string): Promise<void>;
  /** The container started where a Docker engine exists. */
  readonly container: {
    readonly image: string;
    readonly port: number;
    readonly env?: Record<string, string>;
    /** A log line that means ready, and how many times it must appear. */
    readonly readyLog: string;
    readonly readyLogTimes?: number;
    readonly url: (host: string, port: number) => string;
  };
  /** What to tell a developer when neither works (one line each). */
  readonly howToStart: readonly string[];
}

const reasonOf = (error: unknown) => (error instanceof Error && error.message) || String(error);

/**
 * The service's URL when it answers. Where it does not and a Docker engine exists, a container is
 * started (testcontainers); otherwise this throws with the command that starts it. Never skips.
 */
export async function reachableService(service: LocalService): Promise<string> {
  const problem = await service.check(service.url).then(() => null, reasonOf);
  if (problem === null) return service.url;
  const { getContainerRuntimeClient } = await import('testcontainers');
  const docker = await getContainerRuntimeClient().then(() => null, reasonOf);
  if (docker === null) return startContainer(service);
  throw new Error(
    [
      `${service.name} is not reachable at ${redactUrlPasswords(service.url)} (${problem}),`,
      `and no Docker engine is available to start one (${docker}).`,
      ...service.howToStart,
    ].join('\n'),
  );
}

async function startContainer(service: LocalService): Promise<string> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const { image, port, env = {}, readyLog, readyLogTimes, url } = service.container;
  // Reuse lets every test process find the one container; the file lock stops two processes
  // from both creating it at the same moment.
  const lock = join(tmpdir(), `catalog-test-${image.replace(/\W/g, '-')}.lock`);
  const container = await withFileLock(lock, () =>
    new GenericContainer(image)
      .withEnvironment(env)
      .withExposedPorts(port)
      .withWaitStrategy(Wait.forLogMessage(readyLog, readyLogTimes))
      .withReuse()
      .start(),
  );
  return url(container.getHost(), container.getMappedPort(port));
}

/** Runs `work` while holding a lock file; a lock older than two minutes is taken as abandoned. */
export async function withFileLock<T>(path: string, work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      await (await open(path, 'wx')).close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const info = await stat(path).catch(() => null);
      if (info && Date.now() - info.mtimeMs > 120_000) await rm(path, { force: true });
      await delay(250);
    }
  }
  try {
    return await work();
  } finally {
    await rm(path, { force: true });
  }
}
