import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedDocument } from './support/openapi-document.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')), 'bin/cli.js');

interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
}

let dir: string;

/** `redocly lint` with the repository's redocly.yaml and ignore file, on `document` saved as openapi.json. */
async function lint(document: unknown): Promise<LintReport> {
  await writeFile(join(dir, 'openapi.json'), JSON.stringify(document, null, 2));
  // The ignore file is keyed by the linted file's path relative to it, as in the repository.
  const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'lint', 'openapi.json', '--format=json', '--config=redocly.yaml'], {
    cwd: dir,
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  return JSON.parse(stdout) as LintReport;
}

describe('the OpenAPI document under Redocly', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'openapi-lint-'));
    for (const file of ['redocly.yaml', '.redocly.lint-ignore.yaml']) await copyFile(join(ROOT, file), join(dir, file));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("lints clean with the recommended rules: no error, no warning, only the five listed exceptions", async () => {
    const report = await lint(await servedDocument());
    expect(report.problems.map(({ ruleId, message, location }) => `${ruleId} at ${location[0]?.pointer}: ${message}`)).toEqual([]);
    expect(report.totals).toEqual({ errors: 0, warnings: 0, ignored: 5 });
  });

  it('lints clean with a public base URL too', async () => {
    const report = await lint(await servedDocument({ publicBaseUrl: 'https://api.catalog.example' }));
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });

  it('fails the run on a warning: an operation without operationId', async () => {
    const document = (await servedDocument()) as { paths: Record<string, Record<string, { operationId?: string }>> };
    delete document.paths['/products']?.post?.operationId;
    const report = await lint(document);
    expect(report.problems).toEqual([expect.objectContaining({ ruleId: 'operation-operationId', severity: 'warn' })]);
  });
});
