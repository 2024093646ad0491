/** The events section's figures (issue 14's benchmark) and their markdown. */
import { markdownTable } from './stats.js';
import { targetText } from './targets.js';

export interface EventsResult {
  /** Deliveries of the measured batch (one bulk create, one `product.created` each). */
  readonly events: number;
  readonly seconds: number;
  readonly per_second: number;
  /** The 1-minute load average when the batch was sent (the machine is shared). */
  readonly load_average: number;
  /** The cached GET alone and while a batch of deliveries runs, medians over the rounds. */
  readonly get: {
    readonly connections: number;
    readonly duration_s: number;
    readonly rounds: number;
    readonly alone_rps: number;
    readonly during_rps: number;
    readonly deliveries_during_median: number;
    /** Events of each batch sent for a window, and how many windows ended with deliveries still running; absent in older results. */
    readonly during_batch?: number;
    readonly windows_covered?: number;
    readonly during_vs_alone: number;
  };
  /** Cores each process group used in the GET windows (CPU seconds per second, medians); absent in older results. */
  readonly cpu?: { readonly alone: Readonly<Record<string, number>>; readonly during: Readonly<Record<string, number>> };
}

function cpuTable(cpu: NonNullable<EventsResult['cpu']>): string[] {
  const names = Object.keys(cpu.during);
  return [
    '',
    ...markdownTable('lrr', ['Cores used in the GET windows (median)', 'alone', 'during deliveries'], names.map((name) => [name, cpu.alone[name] ?? 0, cpu.during[name] ?? 0])),
  ];
}

function duringLabel({ events, get }: EventsResult): string {
  if (get.during_batch === undefined || get.windows_covered === undefined) return `while ${events} deliveries run (${get.deliveries_during_median} arrived during the run, median)`;
  const covered = get.windows_covered === get.rounds ? 'still running at the end of every window' : `still running at the end of ${get.windows_covered} of ${get.rounds} windows`;
  return `while deliveries run (${get.deliveries_during_median} arrived in the window, median; batches of ${get.during_batch}, ${covered})`;
}

export function renderEventsMarkdown(events: EventsResult): string {
  const { get } = events;
  return [
    `### Events through the outbox to a webhook receiver on 127.0.0.1 (API and worker on RabbitMQ, load average ${events.load_average})`,
    '',
    `${events.events} \`product.created\` events (one bulk create) delivered in ${events.seconds} s: ${events.per_second} events/s.`,
    '',
    ...markdownTable('lr', ['Cached GET /products/:id (wrk, ' + `${get.connections} connections, ${get.duration_s} s, median of ${get.rounds} rounds)`, 'req/s'], [
      ['alone', get.alone_rps],
      [duringLabel(events), get.during_rps],
    ]),
    '',
    `During / alone: ${get.during_vs_alone} (target ${targetText('events.get.during_vs_alone')}).`,
    ...(events.cpu ? cpuTable(events.cpu) : []),
    '',
  ].join('\n');
}
