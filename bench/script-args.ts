/** Argument checks shared by the bench's child scripts. */
import { IMAGE_FORMATS, type ImageFormat } from './images-report.js';

export function positiveInt(name: string, value: string | undefined): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`${name} must be a positive integer, got ${String(value)}`);
  return parsed;
}

export function parseFormat(value: string | undefined): ImageFormat {
  const format = IMAGE_FORMATS.find((known) => known === value);
  if (format === undefined) throw new Error(`--format must be one of ${IMAGE_FORMATS.join(', ')}, got ${String(value)}`);
  return format;
}
