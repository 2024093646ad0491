// `npm run dlq -- list | replay --all | replay <id>…`: inspect and re-drive dead image jobs.
import { buildDeps } from './build-deps.js';
import { readConfig } from './config.js';
import { parseDlqArgs, runDlqCommand } from './dlq-command.js';
import { createLogger } from './logger.js';

try {
  const command = parseDlqArgs(process.argv.slice(2));
  const config = readConfig();
  const { deps, close } = await buildDeps(config, createLogger('warn'), 'dead-letters');
  try {
    process.stdout.write(`${await runDlqCommand(deps, command)}\n`);
  } finally {
    await close();
  }
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
