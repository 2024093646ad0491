import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eventually } from './eventually.js';
import { freePort } from './spawn-service.js';

const run = promisify(execFile);

/** A Redis Cluster of one test file: masters on loopback ports, no replicas, nothing on disk but its node files. */
export interface RedisClusterFixture {
  /** `redis-cluster://127.0.0.1:<port>,…`: every master as a seed. */
  readonly url: string;
  readonly ports: readonly number[];
  close(): Promise<void>;
}

/**
 * Starts `masters` redis-server processes with `--cluster-enabled yes`, joins them with
 * `redis-cli --cluster create` (the machine's own tools) and waits until every node says
 * `cluster_state:ok`.
 */
export async function startRedisCluster(masters = 3): Promise<RedisClusterFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'catalog-redis-cluster-'));
  const children: ChildProcess[] = [];
  const ports: number[] = [];
  const close = async () => {
    await Promise.all(
      children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = once(child, 'exit');
        child.kill('SIGKILL');
        await exited;
      }),
    );
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters; i += 1) {
      const port = await freePort();
      ports.push(port);
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--dir', dir, '--save', '', '--appendonly', 'no'];
      const child = spawn('redis-server', args, { stdio: 'ignore' });
      children.push(child);
      child.once('error', () => undefined);
    }
    process.once('exit', () => children.forEach((child) => child.kill('SIGKILL')));
    const ping = (port: number) => run('redis-cli', ['-p', String(port), 'ping']);
    await eventually(async () => void (await Promise.all(ports.map(ping))), { timeout: 10_000 });
    await run('redis-cli', ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes']);
    await eventually(
      async () => {
        for (const port of ports) {
          const { stdout } = await run('redis-cli', ['-p', String(port), 'cluster', 'info']);
          if (!stdout.includes('cluster_state:ok')) throw new Error(`node ${port}: ${stdout.split('\n')[0]}`);
        }
      },
      { timeout: 20_000 },
    );
  } catch (error) {
    await close();
    throw new Error(`could not start a Redis Cluster from redis-server and redis-cli (apt-get install -y redis-server): ${String(error)}`, { cause: error });
  }
  return { url: `redis-cluster://${ports.map((port) => `127.0.0.1:${port}`).join(',')}`, ports, close };
}
