/**
 * Child process of the hostile section: GET /healthz one request at a time on one keep-alive
 * connection, one every `--interval-ms` (at once when an answer came late), until its stdin
 * closes; then prints {samples: [[sentAt epoch ms, ms, failure], …]}, failure being null for a
 * 200, else the error code or `status <n>`. Its own process, so the bench
 * process sending abuse cannot delay the probe's clock.
 *
 *   node --import tsx bench/healthz-probe.ts --url http://127.0.0.1:3000 [--interval-ms 15] [--timeout-ms 60000]
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Client } from 'undici';
import { positiveInt } from './script-args.js';

const { values } = parseArgs({
  options: { url: { type: 'string' }, 'interval-ms': { type: 'string', default: '15' }, 'timeout-ms': { type: 'string', default: '60000' } },
});
if (values.url === undefined) throw new Error('--url is required');
const intervalMs = positiveInt('--interval-ms', values['interval-ms']);
const timeoutMs = positiveInt('--timeout-ms', values['timeout-ms']);

let stopping = false;
process.stdin.on('end', () => (stopping = true));
process.stdin.resume();

// One connection, one request at a time: a probe, not load. A timed-out request destroys the
// socket; the client opens a new one for the next probe.
const client = new Client(values.url, { pipelining: 1, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, keepAliveTimeout: 60_000 });
const samples: [number, number, string | null][] = [];
const code = (error: unknown) => {
  const found = (error as { code?: unknown } | null)?.code;
  return typeof found === 'string' ? found : error instanceof Error ? error.name : 'error';
};
const now = () => performance.now();
let next = now();
while (!stopping) {
  const wait = next - now();
  if (wait > 0) await sleep(wait);
  const sent = now();
  let failure: string | null;
  try {
    const response = await client.request({ path: '/healthz', method: 'GET', signal: AbortSignal.timeout(timeoutMs) });
    await response.body.text();
    failure = response.statusCode === 200 ? null : `status ${response.statusCode}`;
  } catch (error) {
    failure = code(error);
  }
  const ms = now() - sent;
  samples.push([Math.round((performance.timeOrigin + sent) * 1000) / 1000, Math.round(ms * 1000) / 1000, failure]);
  next = Math.max(next + intervalMs, now());
}
await client.close();
process.stdout.write(JSON.stringify({ samples }));
