import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { promisify } from 'node:util';

/** Debian's Chromium, which the browser tests drive through playwright-core. */
export const CHROMIUM = '/usr/bin/chromium';

const HOW_TO_INSTALL = 'Install Debian\'s chromium package (as root: apt-get update && apt-get install -y chromium), so that /usr/bin/chromium exists.';

const exists = (path: string) => access(path).then(() => true, () => false);

/**
 * The path of Chromium, installed with `apt-get update && apt-get install -y chromium` first
 * where it is missing and apt-get exists (a fresh Debian machine or container, as root).
 * Otherwise, or when the install fails, this throws with how to install it: a browser test
 * never skips. `where` moves the two paths, for testing this.
 */
export async function ensureChromium(where: { chromium?: string; aptGet?: string } = {}): Promise<string> {
  const { chromium = CHROMIUM, aptGet = '/usr/bin/apt-get' } = where;
  if (await exists(chromium)) return chromium;
  if (!(await exists(aptGet))) throw new Error(`Chromium is missing at ${chromium} and apt-get is not available. ${HOW_TO_INSTALL}`);
  const run = (args: string[]) =>
    promisify(execFile)(aptGet, args, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, maxBuffer: 64 * 1024 * 1024 });
  try {
    await run(['update']);
    await run(['install', '-y', 'chromium']);
  } catch (error) {
    const reason = (error as { stderr?: string }).stderr?.trim().split('\n').at(-1) ?? String(error);
    throw new Error(`Chromium is missing at ${chromium} and apt-get could not install it (${reason}). ${HOW_TO_INSTALL}`);
  }
  if (!(await exists(chromium))) throw new Error(`apt-get installed chromium, but ${chromium} is still missing. ${HOW_TO_INSTALL}`);
  return chromium;
}

/** The flags the browser tests start Chromium with: headless, no network of its own, nothing persisted. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
