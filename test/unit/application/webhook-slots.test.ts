import { describe, expect, it } from 'vitest';
import { InProcessTaskQueue } from '../../../src/adapters/in-process/index.js';
import { InMemoryWebhooks } from '../../../src/adapters/memory/index.js';
import {
  endpointSlots,
  handleTask,
  retryPolicy,
  settle,
  withRetryPolicy,
  type CatalogEvent,
  type Delivery,
  type Settlement,
  type WebhookRequest,
  type WebhookResponse,
} from '../../../src/application/index.js';
import { gate } from '../../contracts/given.js';
import { eventually } from '../../support/eventually.js';

const event: CatalogEvent = { id: 'evt_1', type: 'product.created', timestamp: '2026-01-01T00:00:00.000Z', product_id: 3, user_id: 7, data: {} as CatalogEvent['data'] };
const retry = retryPolicy([300, 100, 200]);
const delivery = (webhook_id: string, attempt = 1): Delivery => ({ id: `m-${webhook_id}-${Math.random()}`, task: { type: 'webhook.deliver', webhook_id, event }, attempt, maxAttempts: retry.maxAttempts });

/** A logger that keeps its lines. */
function lines() {
  const seen: { msg: string; fields: Record<string, unknown> }[] = [];
  const log = (fields: Record<string, unknown>, msg: string) => void seen.push({ msg, fields });
  const logger = { info: log, warn: log, error: log, child: () => logger };
  return { seen, logger };
}

describe('endpointSlots', () => {
  it('gives each endpoint its own slots, takes them back once per release, and reports the first refusal only', async () => {
    const slots = endpointSlots(2);
    const a1 = (await slots.acquire('a', 0))!;
    const a2 = (await slots.acquire('a', 0))!;
    expect(await slots.acquire('a', 0)).toBeNull();
    expect(await slots.acquire('b', 0)).not.toBeNull();
    expect(slots.refused('a')).toBe(true);
    expect(slots.refused('a')).toBe(false);
    a1();
    a1();
    expect(await slots.acquire('a', 0)).not.toBeNull();
    expect(await slots.acquire('a', 0)).toBeNull();
    expect(slots.refused('a')).toBe(true);
    a2();
    expect(() => endpointSlots(0)).toThrow(RangeError);
  });

  it('hands a slot given back to the delivery waiting longest, and gives up on a wait after its time', async () => {
    const slots = endpointSlots(1);
    const held = (await slots.acquire('a', 0))!;
    expect(await slots.acquire('a', 0)).toBeNull();
    const order: string[] = [];
    const first = slots.acquire('a', 5_000).then((release) => (order.push('first'), release));
    const second = slots.acquire('a', 5_000).then((release) => (order.push('second'), release));
    expect(await slots.acquire('a', 20)).toBeNull();
    expect(slots.refused('a')).toBe(true);
    held();
    const handed = (await first)!;
    // Still at its cap, so still saturated: no second log line, and nothing for a taker meanwhile.
    expect([await slots.acquire('a', 0), slots.refused('a')]).toEqual([null, false]);
    handed();
    (await second)!();
    expect(order).toEqual(['first', 'second']);
    expect(await slots.acquire('a', 0)).not.toBeNull();
  });
});

describe('settle a deferral', () => {
  it('comes back as the same attempt after the shortest retry delay, even on the last attempt', () => {
    const defer = { type: 'defer', reason: 'busy' } as const;
    expect(settle(retry, 1, defer)).toEqual<Settlement>({ type: 'retry', attempt: 1, delayMs: 100, reason: 'busy' });
    expect(settle(retry, retry.maxAttempts, defer)).toEqual<Settlement>({ type: 'retry', attempt: retry.maxAttempts, delayMs: 100, reason: 'busy' });
    // Without retries there is no delay to wait: it counts as the attempt it could not make.
    expect(settle(retryPolicy([]), 1, defer)).toMatchObject({ type: 'dead', attempts: 1 });
  });
});

describe('handleTask with WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT', () => {
  async function wired(max: number | undefined) {
    const targets = new InMemoryWebhooks();
    for (const id of ['wh_slow', 'wh_fast']) await targets.create({ id, url: `https://hooks.example/${id}`, events: ['product.created'], user_id: null, secret: 'whsec_x' });
    const hung = gate<WebhookResponse>();
    const sent: WebhookRequest[] = [];
    const sender = { send: async (request: WebhookRequest) => (sent.push(request), request.url.endsWith('wh_slow') ? hung.opened : { status: 204 }) };
    const log = lines();
    const deps = { logger: log.logger, publisher: { publish: async () => undefined }, retry, webhooks: { targets, sender, maxInFlightPerEndpoint: max } } as unknown as Parameters<typeof handleTask>[0];
    return { handler: handleTask(deps), hung, sent, log, targets };
  }

  it('defers a third delivery to an endpoint with two in flight, without an attempt, and serves another endpoint at once', async () => {
    const { handler, hung, sent, log, targets } = await wired(2);
    const first = handler(delivery('wh_slow'));
    const second = handler(delivery('wh_slow'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await handler(delivery('wh_slow'))).toEqual({ type: 'defer', reason: 'the endpoint has its maximum of deliveries in flight' });
    expect(await handler(delivery('wh_slow', 2))).toMatchObject({ type: 'defer' });
    expect(await handler(delivery('wh_fast'))).toEqual({ type: 'done' });
    expect(sent.map((request) => request.url)).toEqual(['https://hooks.example/wh_slow', 'https://hooks.example/wh_slow', 'https://hooks.example/wh_fast']);
    // One line for the saturation, none per deferral; no attempt recorded for the deferred ones.
    expect(log.seen.filter((line) => line.msg.includes('in-flight cap'))).toEqual([expect.objectContaining({ fields: { webhook_id: 'wh_slow', event_id: 'evt_1' } })]);
    hung.open({ status: 200 });
    expect(await Promise.all([first, second])).toEqual([{ type: 'done' }, { type: 'done' }]);
    expect(await targets.deliveries('wh_slow', 10)).toHaveLength(2);
    // The slots are back: the next one is sent.
    expect(await handler(delivery('wh_slow'))).toEqual({ type: 'done' });
  });

  it('sends a delivery that waited for a slot, when the endpoint frees one within WEBHOOK_SLOT_WAIT_MS', async () => {
    const { hung, sent, targets, log } = await wired(1);
    const base = { logger: log.logger, publisher: { publish: async () => undefined }, retry } as unknown as Parameters<typeof handleTask>[0];
    const handler = handleTask({ ...base, webhooks: { targets, sender: { send: async (request: WebhookRequest) => (sent.push(request), hung.opened) }, maxInFlightPerEndpoint: 1, slotWaitMs: 5_000 } });
    const first = handler(delivery('wh_slow'));
    const waiting = handler(delivery('wh_slow'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(sent).toHaveLength(1);
    hung.open({ status: 204 });
    expect(await Promise.all([first, waiting])).toEqual([{ type: 'done' }, { type: 'done' }]);
    expect(sent).toHaveLength(2);
    expect(log.seen.filter((line) => line.msg.includes('in-flight cap'))).toEqual([]);
  });

  it('caps nothing with 0', async () => {
    const { handler, hung, sent } = await wired(0);
    const pending = [1, 2, 3].map(() => handler(delivery('wh_slow')));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(sent).toHaveLength(3);
    hung.open({ status: 200 });
    await Promise.all(pending);
  });

  it('in the in-process queue, a deferred delivery comes back as the same attempt and is sent once a slot is free', async () => {
    const { handler, hung, sent } = await wired(1);
    const queue = new InProcessTaskQueue({ concurrency: 4 });
    const settlements: string[] = [];
    const policyLog = lines();
    const settleTask = withRetryPolicy(retry, handler, policyLog.logger);
    const consumer = await queue.consume(async (task) => {
      const settlement = await settleTask(task);
      settlements.push(`${task.attempt}:${settlement.type}`);
      return settlement;
    });
    await queue.publish([1, 2].map((n) => ({ id: `d${n}`, task: { type: 'webhook.deliver', webhook_id: 'wh_slow', event } })));
    // The second is deferred (a retry settlement at the same attempt) while the first hangs, maybe more than once.
    await eventually(() => expect(settlements[0]).toBe('1:retry'));
    expect(sent).toHaveLength(1);
    hung.open({ status: 200 });
    await eventually(() => expect(settlements.filter((settlement) => settlement === '1:ack')).toHaveLength(2));
    expect(sent).toHaveLength(2);
    expect(settlements.every((settlement) => settlement === '1:retry' || settlement === '1:ack')).toBe(true);
    // A deferral is routine: the policy warns of no retry.
    expect(policyLog.seen).toEqual([]);
    await consumer.stop();
    await queue.close();
  });
});
