import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { inMemoryCatalog, InMemoryObjectStore } from '../../../src/adapters/memory/index.js';
import { startOrphanSweeps, type ListedObject, type ObjectListing } from '../../../src/application/index.js';
import { gate } from '../../contracts/given.js';
import { aKey } from '../../support/mothers.js';

const HOUR = 3_600_000;
const INTERVAL = 10_000;

/** A logger that keeps each line's message and fields. */
function recordingLogger() {
  const lines: { level: string; msg: string; fields: Record<string, unknown> }[] = [];
  const at = (level: string) => (fields: object, msg?: string) => void lines.push({ level, msg: msg ?? '', fields: fields as Record<string, unknown> });
  return { lines, logger: { info: at('info'), warn: at('warn') }, finished: () => lines.filter((line) => line.msg === 'orphan sweep finished') };
}

/** Two orphans written two hours ago, in a store whose listing the test may hold. */
async function setUp() {
  const objects = new InMemoryObjectStore({ now: () => new Date(Date.now() - 2 * HOUR) });
  for (const size of [3, 4]) await objects.put(`images/${aKey()}.webp`, new Uint8Array(size), 'image/webp');
  const references = inMemoryCatalog({ userExists: () => true }).references;
  const held = { gate: null as ReturnType<typeof gate<void>> | null, calls: 0, fail: false };
  const listing: ObjectListing = {
    async *list(prefix): AsyncIterable<ListedObject> {
      held.calls += 1;
      if (held.fail) throw new Error('store down');
      for await (const object of objects.list(prefix)) {
        if (held.gate) await held.gate.opened;
        yield object;
      }
    },
  };
  return { deps: { objects, listing, references }, objects, held };
}

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe('startOrphanSweeps', () => {
  it('sweeps once per interval after the first pause, logging one summary per sweep', async () => {
    const { deps, objects } = await setUp();
    const log = recordingLogger();
    const sweeps = startOrphanSweeps({ ...deps, logger: log.logger }, { intervalMs: INTERVAL, graceMs: HOUR });
    expect(log.lines[0]).toMatchObject({ msg: 'orphan sweeps scheduled', fields: { interval_ms: INTERVAL, grace_ms: HOUR } });
    await vi.advanceTimersByTimeAsync(INTERVAL - 1);
    expect(log.finished()).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(log.finished()).toEqual([expect.objectContaining({ fields: expect.objectContaining({ found: 2, kept: 0, deleted: 2, bytes_freed: 7, interrupted: false }) })]);
    expect(objects.keys()).toEqual([]);
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(log.finished().at(-1)?.fields).toMatchObject({ found: 0, deleted: 0 });
    expect(log.finished()).toHaveLength(2);
    await sweeps.stop();
    await vi.advanceTimersByTimeAsync(5 * INTERVAL);
    expect(log.finished()).toHaveLength(2);
  });

  it('never overlaps: a slow sweep delays the next, which starts one interval after it ended', async () => {
    const { deps, held } = await setUp();
    const log = recordingLogger();
    held.gate = gate();
    const sweeps = startOrphanSweeps({ ...deps, logger: log.logger }, { intervalMs: INTERVAL, graceMs: HOUR });
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(held.calls).toBe(1);
    // Five intervals go by while the first sweep is held: no second one starts.
    await vi.advanceTimersByTimeAsync(5 * INTERVAL);
    expect(held.calls).toBe(1);
    expect(log.finished()).toHaveLength(0);
    held.gate.open();
    held.gate = null;
    await vi.advanceTimersByTimeAsync(0);
    expect(log.finished()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(INTERVAL - 1);
    // Both prefixes were listed by the first sweep; the second has not begun.
    expect(held.calls).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(held.calls).toBe(4);
    await sweeps.stop();
  });

  it('stops a sweep in progress after its current object, and logs a failed sweep without ending the schedule', async () => {
    const { deps, held, objects } = await setUp();
    const log = recordingLogger();
    held.gate = gate();
    const sweeps = startOrphanSweeps({ ...deps, logger: log.logger }, { intervalMs: INTERVAL, graceMs: HOUR });
    await vi.advanceTimersByTimeAsync(INTERVAL);
    const stopped = sweeps.stop();
    held.gate.open();
    await stopped;
    expect(log.finished()).toEqual([expect.objectContaining({ fields: expect.objectContaining({ found: 0, deleted: 0, interrupted: true }) })]);
    expect(objects.keys()).toHaveLength(2);

    held.fail = true;
    held.gate = null;
    const again = startOrphanSweeps({ ...deps, logger: log.logger }, { intervalMs: INTERVAL, graceMs: HOUR });
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(log.lines.at(-1)).toMatchObject({ level: 'warn', msg: 'orphan sweep failed; the next one runs as scheduled' });
    held.fail = false;
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(log.finished().at(-1)?.fields).toMatchObject({ deleted: 2, interrupted: false });
    await again.stop();
  });
});
