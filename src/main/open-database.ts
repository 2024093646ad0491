import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { redactUrlPasswords } from '../adapters/http/index.js';
import { connectPglite, connectPostgres } from '../adapters/postgres/index.js';
import type { Config } from './config.js';

/** PostgreSQL when DATABASE_URL is set, else the embedded PGlite under DATA_DIR. */
export async function openDatabase(config: Config) {
  if (config.DATABASE_URL) {
    const connection = await connectPostgres({ url: config.DATABASE_URL, max: config.DATABASE_POOL_MAX });
    return { connection, backend: `postgres ${redactUrlPasswords(config.DATABASE_URL)}` };
  }
  const dataDir = join(config.DATA_DIR, 'pglite');
  await mkdir(dataDir, { recursive: true });
  return { connection: await connectPglite({ dataDir }), backend: `pglite ${dataDir}` };
}
