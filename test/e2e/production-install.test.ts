import { execFile, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { useRabbitMq } from '../support/rabbitmq.js';

// The package as others get it: packed with `npm pack` and imported by a TypeScript program in a
// project of its own, and the service as a production install runs it: the tracked files, the
// build, `npm ci --omit=dev` (no TypeScript, no tsx), and the README's commands.

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const NPM_QUIET = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];

/** A command's output; a failure carries both streams in its message. */
async function sh(command: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  try {
    return await run(command, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

/**
 * `npm run <script>` until its `service started` log line. `stop` sends SIGTERM to the service's
 * node process alone and returns what was logged once its output ends: npm does not pass a signal
 * on, and a signal to the whole group can reach node twice (from the group and from npm), which the
 * service takes as "exit now".
 */
function startScript(cwd: string, script: string, env: Record<string, string>) {
  // A process group of its own, so that the service's node process can be found in it.
  const child = spawn('npm', ['run', '--silent', script], { cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const started = new Promise<{ url?: string; roles: string[] }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script}: no start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      for (const line of output.split('\n')) {
        if (!line.startsWith('{')) continue;
        const parsed = JSON.parse(line) as { msg?: string; url?: string; roles: string[] };
        if (parsed.msg === 'service started') {
          clearTimeout(timer);
          resolve(parsed);
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}:\n${output}`)));
  });
  return {
    started,
    async stop() {
      const ended = new Promise((resolve) => child.stdout.once('close', resolve));
      const { stdout: pids } = await sh('pgrep', ['-g', String(child.pid), '-f', 'node dist/main/'], cwd);
      for (const pid of pids.split('\n').filter(Boolean)) process.kill(Number(pid), 'SIGTERM');
      await ended;
      return output;
    },
  };
}

describe('the package and a production install', () => {
  let scratch: string;
  let tarball: string;
  let database: TestDatabase;
  const broker = useRabbitMq();

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'catalog-install-'));
    database = await createTestDatabase({ migrated: false });
    // npm pack runs `prepare`, which builds: dist is fresh for both halves of this file.
    await sh('npm', ['pack', '--pack-destination', scratch, '--loglevel=error'], root);
    tarball = join(scratch, (await readdir(scratch)).find((name) => name.endsWith('.tgz'))!);
  }, 180_000);

  afterAll(async () => {
    await database?.drop();
    await rm(scratch, { recursive: true, force: true });
  });

  it('is imported by another TypeScript service: the core and /testing type-check under --strict and run', { timeout: 300_000 }, async () => {
    const consumer = join(scratch, 'consumer');
    await mkdir(consumer);
    await writeFile(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    await sh('npm', ['install', tarball, '@types/node@20', ...NPM_QUIET], consumer);
    await writeFile(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, outDir: 'out', skipLibCheck: false, types: ['node'] }, include: ['main.ts'] }),
    );
    await writeFile(
      join(consumer, 'main.ts'),
      `import { createProduct, getProduct, type Product } from 'product-catalog';
import { DisabledCache } from 'product-catalog/adapters/in-process';
import { inMemoryCatalog } from 'product-catalog/testing';

const catalog = inMemoryCatalog({ userExists: (id) => id === 7 });
const created = await createProduct(
  { products: catalog.products, cache: new DisabledCache() },
  { user_id: 7, product_name: 'Desk lamp', product_description: '', product_images: ['https://images.example/lamp.jpg'], product_price: 39.9 },
);
if (!created.ok) throw new Error(created.error.code);
const read = await getProduct({ products: catalog.products }, created.value.product.id);
if (!read.ok) throw new Error(read.error.code);
const product: Product = read.value;
const refused = await createProduct({ products: catalog.products, cache: new DisabledCache() }, { user_id: 8 });
console.log(JSON.stringify({ name: product.product_name, status: product.images[0]?.status, refused: refused.ok ? null : refused.error.code }));
`,
    );
    await sh(process.execPath, [tsc, '-p', 'tsconfig.json'], consumer);
    const { stdout } = await sh(process.execPath, ['out/main.js'], consumer);
    expect(JSON.parse(stdout)).toEqual({ name: 'Desk lamp', status: 'pending', refused: 'validation.failed' });
  });

  it('runs every documented command from npm ci --omit=dev plus the build, reading .env', { timeout: 300_000 }, async () => {
    const app = join(scratch, 'app');
    const { stdout: tracked } = await sh('git', ['ls-files', '-z'], root);
    for (const file of tracked.split('\0').filter(Boolean)) await cp(join(root, file), join(app, file), { recursive: true });
    await cp(join(root, 'dist'), join(app, 'dist'), { recursive: true });
    await sh('npm', ['ci', '--omit=dev', ...NPM_QUIET], app);
    const installed = await readdir(join(app, 'node_modules'));
    expect(installed).not.toContain('typescript');
    expect(installed).not.toContain('tsx');
    expect(installed).not.toContain('vitest');

    // .env supplies what the environment does not; the environment wins where both set a variable.
    await writeFile(join(app, '.env'), `HOST=127.0.0.1\nPORT=0\nWORKER_PORT=0\nDATABASE_URL=postgres://nobody@127.0.0.1:1/none\nLOG_LEVEL=info\n`);
    const env = { DATABASE_URL: database.url, AMQP_URL: broker.url, AMQP_PREFIX: broker.prefix() };

    const migrate = await sh('npm', ['run', '--silent', 'db:migrate'], app, env);
    expect(migrate.stdout).toContain('migrations applied');
    const dlq = await sh('npm', ['run', '--silent', 'dlq', '--', 'list'], app, env);
    expect(dlq.stdout).toMatch(/dead letter/i);
    const gc = await sh('npm', ['run', '--silent', 'gc', '--', '--dry-run'], app, env);
    expect(gc.stdout).toMatch(/^dry run, nothing deleted: found \d+, kept \d+, would delete \d+/);
    const reprocess = await sh('npm', ['run', '--silent', 'reprocess', '--', '--all', '--dry-run'], app, env);
    expect(reprocess.stdout).toMatch(/^dry run, nothing queued: would queue \d+ of \d+ done images lacking renditions/);

    for (const [script, roles] of [
      ['start:api', ['api']],
      ['start:worker', ['worker']],
      ['start', ['api', 'worker']],
    ] as const) {
      const service = startScript(app, script, env);
      const started = await service.started;
      expect(started.roles).toEqual(roles);
      if (started.url) {
        expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect((await fetch(`${started.url}/healthz`)).status).toBe(200);
      }
      const logged = await service.stop();
      expect(logged, logged).toMatch(/"msg":"service stopped"/);
    }
  });
});
