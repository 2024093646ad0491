import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { connectPglite, connectPostgres, type Connection } from '../adapters/postgres/index.js';
import { redactUrlPasswords } from '../application/index.js';
import type { Config } from './config.js';

/** PostgreSQL when DATABASE_URL is set, else the embedded PGlite under DATA_DIR. */
export async function openDatabase(config: Config): Promise<{ adapter: Connection; backend: string; probe: Connection['probe'] }> {
  if (config.DATABASE_URL) {
    const connection = await connectPostgres({ url: config.DATABASE_URL, max: config.DATABASE_POOL_MAX });
    return { adapter: connection, backend: `postgres ${redactUrlPasswords(config.DATABASE_URL)}`, probe: connection.probe };
  }
  const dataDir = join(config.DATA_DIR, 'pglite');
  await mkdir(dataDir, { recursive: true });
  const connection = await connectPglite({ dataDir });
  return { adapter: connection, backend: `pglite ${dataDir}`, probe: connection.probe };
}
