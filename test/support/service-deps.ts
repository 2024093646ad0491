import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { buildDeps, type BuildOverrides, type Built, type ServiceDeps } from '../../src/main/build-deps.js';
import { loadConfig } from '../../src/main/config.js';
import { TEST_ADMIN_KEY } from './admin-key.js';

/**
 * The service's own composition root over `env` (the same variables a deployment sets), with a
 * scratch DATA_DIR that close() removes, and TEST_ADMIN_KEY as ADMIN_API_KEY unless `env` sets one.
 * Tests wire real adapters exactly as the process does.
 */
export async function serviceDeps(
  env: Record<string, string>,
  logger: Logger = pino({ level: 'silent' }),
  overrides: BuildOverrides = {},
): Promise<Built<ServiceDeps>> {
  const dataDir = await mkdtemp(join(tmpdir(), 'catalog-deps-'));
  const built = await buildDeps(loadConfig({ DATA_DIR: dataDir, ADMIN_API_KEY: TEST_ADMIN_KEY, ...env }), logger, 'service', overrides);
  return {
    ...built,
    async close() {
      await built.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
