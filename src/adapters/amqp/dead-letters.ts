import type { Channel, ChannelModel, GetMessage } from 'amqplib';
import type { DeadLetter } from '../../application/ports/dead-letters.js';
import { decodeDeadLetter, encodeTask, type OutgoingMessage } from './message-codec.js';
import type { TopologyNames } from './topology.js';

/**
 * Reads up to `limit` dead letters, oldest first, without removing them: they are fetched
 * unacknowledged and handed back together, and a classic queue puts requeued messages back in
 * their original place. Messages that are not task messages are skipped (and stay in the queue).
 */
export async function listDeadLetters(model: ChannelModel, queue: string, limit: number): Promise<DeadLetter[]> {
  const letters: DeadLetter[] = [];
  if (limit < 1) return letters;
  await scanQueue(model, queue, async (_message, letter) => {
    letters.push(letter);
    return letters.length >= limit ? 'stop' : 'keep';
  });
  return letters;
}

/**
 * Republishes the chosen dead letters to the work exchange with attempt 1 and acks each once the
 * broker confirmed its copy; returns how many. Letters dead-lettered again during the replay are
 * not picked up twice: the scan stops at the queue's length when it began.
 */
export async function replayDeadLetters(
  model: ChannelModel,
  names: TopologyNames,
  ids: 'all' | readonly string[],
  options: { window: number; publish: (messages: readonly OutgoingMessage[]) => Promise<void> },
): Promise<number> {
  const wanted = ids === 'all' ? undefined : new Set(ids);
  if (wanted?.size === 0) return 0;
  const route = { exchange: names.workExchange, routingKey: names.routingKey };
  let batch: Array<{ message: GetMessage; letter: DeadLetter }> = [];
  let replayed = 0;
  const flush = async (channel: Channel): Promise<void> => {
    await options.publish(batch.map(({ letter }) => encodeTask(route, letter, 1)));
    for (const { message } of batch) channel.ack(message);
    replayed += batch.length;
    batch = [];
  };
  await scanQueue(model, names.deadQueue, async (message, letter, channel) => {
    if (wanted !== undefined && !wanted.has(letter.id)) return 'keep';
    batch.push({ message, letter });
    if (batch.length >= options.window) await flush(channel);
    return 'keep';
  }, flush);
  return replayed;
}

type Visit = (message: GetMessage, letter: DeadLetter, channel: Channel) => Promise<'keep' | 'stop'>;

/** Gets at most the queue's current length of messages on a private channel, then requeues the unacked. */
async function scanQueue(model: ChannelModel, queue: string, visit: Visit, finish?: (channel: Channel) => Promise<void>) {
  const channel = await model.createChannel();
  channel.on('error', () => undefined);
  try {
    const { messageCount } = await channel.checkQueue(queue);
    for (let seen = 0; seen < messageCount; seen++) {
      const message = await channel.get(queue);
      if (message === false) break;
      const letter = decodeDeadLetter(message);
      if (letter !== null && (await visit(message, letter, channel)) === 'stop') break;
    }
    await finish?.(channel);
  } finally {
    try {
      channel.nackAll(true);
    } catch {
      // The channel is already closed, which requeued the messages just the same.
    }
    await channel.close().catch(() => undefined);
  }
}
