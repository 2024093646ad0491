// `npm run dlq -- list | replay --all | replay <id>…`: inspect and re-drive dead image jobs.
import { buildDeps } from './build-deps.js';
import { parseDlqArgs, runDlqCommand } from './dlq-command.js';
import { createLogger } from './logger.js';
import { runOperatorCommand } from './operator-command.js';

await runOperatorCommand({
  parse: parseDlqArgs,
  open: (config) => buildDeps(config, createLogger('warn'), 'dead-letters'),
  run: (deps, command) => runDlqCommand(deps, command),
});
