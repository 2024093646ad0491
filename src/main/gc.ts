// `npm run gc -- [--dry-run]`: delete stored objects no image references, older than GC_GRACE_MS.
import { buildDeps } from './build-deps.js';
import { readConfig } from './config.js';
import { parseGcArgs, runGcCommand } from './gc-command.js';
import { createLogger } from './logger.js';

try {
  const command = parseGcArgs(process.argv.slice(2));
  const config = readConfig();
  const { deps, close } = await buildDeps(config, createLogger('warn'), 'objects');
  try {
    const tty = process.stderr.isTTY;
    const progress = (line: string) => process.stderr.write(tty ? `\r${line}` : `${line}\n`);
    const summary = await runGcCommand(deps, command, { graceMs: config.GC_GRACE_MS, progress });
    if (tty) process.stderr.write('\n');
    process.stdout.write(`${summary}\n`);
  } finally {
    await close();
  }
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
