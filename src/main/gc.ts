// `npm run gc -- [--dry-run]`: delete stored objects no image references, older than GC_GRACE_MS.
import { buildDeps } from './build-deps.js';
import { parseGcArgs, runGcCommand } from './gc-command.js';
import { createLogger } from './logger.js';
import { runOperatorCommand } from './operator-command.js';

await runOperatorCommand({
  parse: parseGcArgs,
  open: (config) => buildDeps(config, createLogger('warn'), 'objects'),
  run: (deps, command, { config, progress }) => runGcCommand(deps, command, { graceMs: config.GC_GRACE_MS, progress }),
});
