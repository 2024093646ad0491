import { describeTask, listDeadLetters, replayDeadLetters, type DeadLetters } from '../application/index.js';

export type DlqCommand =
  | { readonly action: 'list'; readonly limit: number }
  | { readonly action: 'replay'; readonly ids: 'all' | readonly string[] };

export const DLQ_USAGE = `usage: npm run dlq -- list [--limit N]
       npm run dlq -- replay --all
       npm run dlq -- replay <id> [<id> ...]`;

/** Parses the arguments after `npm run dlq --`; throws with the usage on anything else. */
export function parseDlqArgs(args: readonly string[]): DlqCommand {
  const [action, ...rest] = args;
  if (action === 'list') {
    if (rest.length === 0) return { action, limit: 100 };
    const limit = Number(rest[1]);
    if (rest[0] === '--limit' && rest.length === 2 && Number.isInteger(limit) && limit > 0) return { action, limit };
  }
  if (action === 'replay') {
    if (rest.length === 1 && rest[0] === '--all') return { action, ids: 'all' };
    if (rest.length > 0 && rest.every((id) => /^\w[\w.:-]*$/.test(id))) return { action, ids: rest };
  }
  throw new Error(DLQ_USAGE);
}

/** Runs the command against the dead letters and returns what to print. */
export async function runDlqCommand(deps: { deadLetters: DeadLetters }, command: DlqCommand): Promise<string> {
  if (command.action === 'replay') {
    const replayed = await replayDeadLetters(deps, command.ids);
    return `replayed ${replayed} dead letter${replayed === 1 ? '' : 's'}`;
  }
  const letters = await listDeadLetters(deps, command.limit);
  if (letters.length === 0) return 'no dead letters';
  const rows = letters.map((letter) => {
    const task = describeTask(letter.task);
    return `${letter.id}\t${letter.dead_at.toISOString()}\t${letter.attempts}\t${task}\t${letter.reason}`;
  });
  return ['id\tdead_at\tattempts\ttask\treason', ...rows, `${letters.length} dead letter${letters.length === 1 ? '' : 's'}`].join('\n');
}
