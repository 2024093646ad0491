import type { Built } from './build-deps.js';
import { readConfig, type Config } from './config.js';

/** What one operator command is: how it reads its arguments, what it opens, what it does. */
export interface OperatorCommand<C, D> {
  readonly parse: (args: readonly string[]) => C;
  readonly open: (config: Config) => Promise<Built<D>>;
  /** Returns the summary printed on stdout; `progress` rewrites one line of stderr. */
  readonly run: (deps: D, command: C, context: { config: Config; progress: (line: string) => void }) => Promise<string>;
}

/**
 * The frame every operator command (`dlq`, `gc`, `reprocess`) shares: arguments first (a usage
 * error needs no configuration), then the configuration and what the command opens, closed
 * whatever happens; progress rewritten in place on a terminal and one line each otherwise; any
 * error printed as its message alone, with exit code 1.
 */
export async function runOperatorCommand<C, D>(command: OperatorCommand<C, D>, args: readonly string[] = process.argv.slice(2)): Promise<void> {
  const tty = process.stderr.isTTY;
  let progressed = false;
  const progress = (line: string) => {
    progressed = true;
    process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
  };
  try {
    const parsed = command.parse(args);
    const config = readConfig();
    const { deps, close } = await command.open(config);
    try {
      const summary = await command.run(deps, parsed, { config, progress });
      if (tty && progressed) process.stderr.write('\n');
      process.stdout.write(`${summary}\n`);
    } finally {
      await close();
    }
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
