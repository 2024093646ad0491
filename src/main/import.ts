// `npm run import -- products.csv|products.ndjson [--api URL --key KEY]`: bulk-creates through the API.
import { readConfig } from './config.js';
import { parseImportArgs, runImport, summaryText } from './import-command.js';

try {
  const config = readConfig();
  const args = parseImportArgs(process.argv.slice(2), { api: `http://127.0.0.1:${config.PORT}`, key: config.ADMIN_API_KEY });
  const summary = await runImport(args, (text) => process.stderr.write(`\r${text}\x1b[K`));
  process.stderr.write('\n');
  process.stdout.write(`${summaryText(summary)}\n`);
  if (summary.rejected > 0) process.exitCode = 2;
} catch (error) {
  process.stderr.write(`\n${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
