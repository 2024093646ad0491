// `npm run reprocess -- --all | <product id>… [--rate N] [--dry-run]`: give done images the renditions they lack.
import { buildDeps } from './build-deps.js';
import { createLogger } from './logger.js';
import { runOperatorCommand } from './operator-command.js';
import { parseReprocessArgs, runReprocessCommand } from './reprocess-command.js';

await runOperatorCommand({
  parse: parseReprocessArgs,
  open: (config) => buildDeps(config, createLogger('warn'), 'backfill'),
  run: (deps, command, { progress }) => runReprocessCommand(deps, command, { expected: deps.expected, progress }),
});
