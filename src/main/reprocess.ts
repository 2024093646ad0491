// `npm run reprocess -- --all | <product id>… [--rate N] [--dry-run]`: give done images the renditions they lack.
import { buildDeps } from './build-deps.js';
import { readConfig } from './config.js';
import { createLogger } from './logger.js';
import { parseReprocessArgs, runReprocessCommand } from './reprocess-command.js';

try {
  const command = parseReprocessArgs(process.argv.slice(2));
  const config = readConfig();
  const { deps, close } = await buildDeps(config, createLogger('warn'), 'backfill');
  try {
    const tty = process.stderr.isTTY;
    const progress = (line: string) => process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
    const summary = await runReprocessCommand(deps, command, { expected: deps.expected, progress });
    if (tty) process.stderr.write('\n');
    process.stdout.write(`${summary}\n`);
  } finally {
    await close();
  }
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
