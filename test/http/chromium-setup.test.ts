import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHROMIUM, ensureChromium } from '../support/chromium.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chromium-setup-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A stand-in apt-get: logs its arguments, and `install` runs `onInstall`. */
async function fakeAptGet(onInstall: string): Promise<string> {
  const path = join(dir, 'apt-get');
  await writeFile(path, `#!/bin/sh\necho "$@" >> "${dir}/calls"\nif [ "$1" = install ]; then ${onInstall}; fi\n`);
  await chmod(path, 0o755);
  return path;
}

describe('the browser tests get their Chromium', () => {
  it('use /usr/bin/chromium, which is there', async () => {
    expect(await ensureChromium()).toBe(CHROMIUM);
  });

  it('install it with apt-get where it is missing', async () => {
    const chromium = join(dir, 'chromium');
    const aptGet = await fakeAptGet(`touch "${chromium}"`);
    expect(await ensureChromium({ chromium, aptGet })).toBe(chromium);
    expect((await readFile(join(dir, 'calls'), 'utf8')).trim().split('\n')).toEqual(['update', 'install -y chromium']);
  });

  it('fail, saying how to install it, when apt-get is missing or fails', async () => {
    const chromium = join(dir, 'chromium');
    await expect(ensureChromium({ chromium, aptGet: join(dir, 'no-apt-get') })).rejects.toThrow(
      /Chromium is missing at .* and apt-get is not available\. Install Debian's chromium package \(as root: apt-get update && apt-get install -y chromium\)/,
    );
    const failing = await fakeAptGet('echo "E: Could not open lock file - are you root?" >&2; exit 100');
    await expect(ensureChromium({ chromium, aptGet: failing })).rejects.toThrow(/apt-get could not install it \(E: Could not open lock file - are you root\?\)\. Install/);
    const silent = await fakeAptGet('true');
    await expect(ensureChromium({ chromium, aptGet: silent })).rejects.toThrow(/apt-get installed chromium, but .* is still missing/);
  });
});
