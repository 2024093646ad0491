import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/main/config.js';
import { startService } from '../../../src/main/start-service.js';
import { parseApiKey } from '../../../src/domain/index.js';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'catalog-bootstrap-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** A logger whose lines the test reads. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: pino({ level: 'info' }, stream) };
}

async function filesUnder(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

// Starts and restarts the service on an embedded database: more than the default on a busy machine.
describe('the first start on the embedded database', { timeout: 90_000 }, () => {
  it('creates an admin key, shows it once, stores only its digest, and it works after a restart', async () => {
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir });
    const first = capture();
    const service = await startService(config, first.logger, ['api']);
    const announced = first.lines.filter((line) => 'admin_api_key' in line);
    expect(announced).toHaveLength(1);
    expect(announced[0]?.msg).toMatch(/ADMIN API KEY, shown this once/);
    const key = String(announced[0]?.admin_api_key);
    expect(key).toMatch(/^pc_live_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const createUser = (url: string | undefined) =>
      fetch(`${url}/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ name: 'First', email: `first-${Date.now()}@example.com` }),
      });
    expect((await createUser(service.url)).status).toBe(201);
    await service.close();

    // The database files hold the digest, never the key.
    // The secret is base64url and may itself hold `_`: parse the key rather than split it.
    const secret = parseApiKey(key)!.secret;
    for (const file of await filesUnder(join(dataDir, 'pglite'))) expect((await readFile(file)).includes(secret), file).toBe(false);

    const second = capture();
    const again = await startService(config, second.logger, ['api']);
    try {
      expect(second.lines.filter((line) => 'admin_api_key' in line)).toEqual([]);
      expect((await createUser(again.url)).status).toBe(201);
    } finally {
      await again.close();
    }
  });

  it('creates none when ADMIN_API_KEY is set', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'catalog-bootstrap-env-'));
    const { lines, logger } = capture();
    const service = await startService(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, ADMIN_API_KEY: 'an-operator-key-of-thirty-two-chars-or-more' }), logger, ['api']);
    await service.close();
    await rm(dir, { recursive: true, force: true });
    expect(lines.filter((line) => 'admin_api_key' in line)).toEqual([]);
  });
});
