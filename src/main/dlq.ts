// `npm run dlq -- list | replay --all | replay <id>…`: inspect and re-drive dead image jobs.
import { AmqpTaskQueue } from '../adapters/amqp/index.js';
import { ConfigError, loadConfig } from './config.js';
import { parseDlqArgs, runDlqCommand } from './dlq-command.js';
import { createLogger } from './logger.js';

try {
  const command = parseDlqArgs(process.argv.slice(2));
  const config = loadConfig(process.env);
  if (!config.AMQP_URL) {
    throw new Error('AMQP_URL is not set: the embedded queue keeps its dead letters inside the running service process.');
  }
  const queue = await AmqpTaskQueue.connect({ url: config.AMQP_URL, prefix: config.AMQP_PREFIX, retryDelaysMs: config.IMAGE_RETRY_DELAYS_MS, logger: createLogger('warn') });
  try {
    process.stdout.write(`${await runDlqCommand(queue, command)}\n`);
  } finally {
    await queue.close();
  }
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
