import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { request } from 'node:http';
import { dirname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { exec, onPath } from './exec.js';

// Debian packages and a file each installs. runc and the cgroupfs manager are what works on this
// kind of machine (containers.conf); slirp4netns gives containers the host's loopback.
const PACKAGES: ReadonlyArray<readonly [string, string]> = [
  ['podman', 'podman'],
  ['runc', 'runc'],
  ['docker-compose', 'docker-compose'],
  ['debootstrap', 'debootstrap'],
  ['slirp4netns', 'slirp4netns'],
  ['netavark', '/usr/lib/podman/netavark'],
  ['aardvark-dns', '/usr/lib/podman/aardvark-dns'],
  ['iptables', 'iptables'],
];

/** Installs with apt whichever of the tools is missing; returns the packages it installed. */
export async function ensureHostTools(): Promise<string[]> {
  const missing: string[] = [];
  for (const [name, file] of PACKAGES) {
    if (!(file.startsWith('/') ? existsSync(file) : await onPath(file))) missing.push(name);
  }
  if (missing.length === 0) return [];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await exec('apt-get', ['update'], { env });
  await exec('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env });
  return missing;
}

/** podman's Docker-API service on a socket of its own, for docker-compose. */
export interface PodmanService {
  /** `unix://…`, for DOCKER_HOST. */
  readonly dockerHost: string;
  stop(): Promise<void>;
}

/** Starts `podman system service` on `socket` and waits until it answers /_ping. */
export async function startPodmanService(socket: string, env: NodeJS.ProcessEnv): Promise<PodmanService> {
  await mkdir(dirname(socket), { recursive: true });
  const child = spawn('podman', ['system', 'service', '--time=0', `unix://${socket}`], { env, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`podman system service exited ${child.exitCode}`);
    if (await ping(socket)) return { dockerHost: `unix://${socket}`, stop };
    await delay(100);
  }
  await stop();
  throw new Error(`podman system service did not answer on ${socket} within 10 s`);
}

const ping = (socketPath: string): Promise<boolean> =>
  new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
