import { reprocessImages, type ImageBackfill, type ProductWriteCache, type ReprocessProgress } from '../application/index.js';
import type { RenditionSet } from '../domain/index.js';

/** `npm run reprocess -- --all | <product id>… [--rate N] [--dry-run]`, parsed. */
export interface ReprocessCommand {
  /** Absent: every product. */
  readonly productIds?: readonly number[];
  readonly rate: number;
  readonly dryRun: boolean;
}

export const REPROCESS_USAGE = `usage: npm run reprocess -- --all [--rate N] [--dry-run]
       npm run reprocess -- <product id> [<product id> ...] [--rate N] [--dry-run]`;

// Images queued a second by default: about half of what one worker compresses on two cores
// (7.3 images/s in the README's scaling figures), so uploads made meanwhile still find room.
export const DEFAULT_REPROCESS_RATE = 4;

/** Parses the arguments after `npm run reprocess --`; throws with the usage on anything else. */
export function parseReprocessArgs(args: readonly string[]): ReprocessCommand {
  let all = false;
  let dryRun = false;
  let rate = DEFAULT_REPROCESS_RATE;
  const ids: number[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '--all') all = true;
    else if (arg === '--dry-run') dryRun = true;
    else if (arg === '--rate') {
      rate = Number(args[(i += 1)]);
      if (!(rate > 0 && rate <= 10_000)) throw new Error(`--rate needs a number of images a second, above 0\n${REPROCESS_USAGE}`);
    } else if (/^[1-9]\d{0,15}$/.test(arg) && Number.isSafeInteger(Number(arg))) ids.push(Number(arg));
    else throw new Error(`unexpected argument ${arg}\n${REPROCESS_USAGE}`);
  }
  if (all === (ids.length > 0)) throw new Error(`give either --all or product ids\n${REPROCESS_USAGE}`);
  return { ...(!all && { productIds: [...new Set(ids)] }), rate, dryRun };
}

/** The progress bar: images looked at of the total, images queued, the pace and the time left. */
export function progressLine(p: Readonly<ReprocessProgress>, dryRun: boolean): string {
  const width = 24;
  const share = p.total === 0 ? 1 : Math.min(1, p.checked / p.total);
  const filled = Math.round(share * width);
  const rate = p.seconds > 0 ? p.checked / p.seconds : 0;
  const eta = rate > 0 ? Math.ceil((p.total - p.checked) / rate) : NaN;
  return (
    `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.checked}/${p.total} images checked, ${p.queued} ${dryRun ? 'to queue' : 'queued'}, ` +
    `${rate.toFixed(1)} images/s, ETA ${Number.isFinite(eta) ? `${Math.max(0, eta)} s` : '?'}`
  );
}

/** Runs the backfill, writing the progress bar to `progress`; returns the summary to print. */
export async function runReprocessCommand(
  deps: { backfill: ImageBackfill; cache: ProductWriteCache },
  command: ReprocessCommand,
  options: { expected: RenditionSet; progress: (line: string) => void; sleep?: (ms: number) => Promise<void> },
): Promise<string> {
  const summary = await reprocessImages(deps, {
    scope: command.productIds ? { productIds: command.productIds } : {},
    expected: options.expected,
    rate: command.rate,
    dryRun: command.dryRun,
    onProgress: (current) => options.progress(progressLine(current, command.dryRun)),
    ...(options.sleep && { sleep: options.sleep }),
  });
  const set = `${options.expected.widths.join(',')} px in ${options.expected.formats.join(',')}`;
  const did = command.dryRun ? 'dry run, nothing queued: would queue' : 'queued';
  return `${did} ${summary.queued} of ${summary.checked} done images lacking renditions (${set}) in ${summary.seconds.toFixed(1)} s`;
}
