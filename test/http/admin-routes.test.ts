import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryApiDeps } from '../support/memory-deps.js';
import { appWith, problemOf } from './support/http-harness.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'admin-console-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('GET /admin', () => {
  it('serves the built page with its CSP, and its hashed assets for ever', async () => {
    const built = join(dir, 'built');
    await mkdir(join(built, 'assets'), { recursive: true });
    await writeFile(join(built, 'index.html'), '<!doctype html><script type="module" src="./assets/index-abc.js"></script>');
    await writeFile(join(built, 'assets', 'index-abc.js'), 'console.log(1)');
    await writeFile(join(built, 'assets', 'index-abc.css'), 'body{}');
    await writeFile(join(built, 'assets', 'data.bin'), 'x');
    const { app } = appWith(memoryApiDeps().deps, { adminDir: built });

    const bare = await app.request('/admin');
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('admin/');
    const page = await app.request('/admin/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(await page.text()).toContain('./assets/index-abc.js');
    const script = await app.request('/admin/assets/index-abc.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toContain('immutable');
    expect(await script.text()).toBe('console.log(1)');
    expect((await app.request('/admin/assets/index-abc.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await app.request('/admin/assets/data.bin')).headers.get('content-type')).toBe('application/octet-stream');
    await problemOf(await app.request('/admin/assets/other.js'), 404, 'route.not_found');
  });

  it('answers 404 with how to build it while the console is not built, and finds a later build', async () => {
    const later = join(dir, 'later');
    const { app } = appWith(memoryApiDeps().deps, { adminDir: later });
    const missing = await app.request('/admin/');
    expect((await problemOf(missing, 404, 'route.not_found')).detail).toContain('npm run build');
    await mkdir(later, { recursive: true });
    await writeFile(join(later, 'index.html'), '<!doctype html><title>built</title>');
    const page = await app.request('/admin/');
    expect(page.status).toBe(200);
    await problemOf(await app.request('/admin/assets/index.js'), 404, 'route.not_found');
  });

  it('answers 500 when the build cannot be read for another reason than its absence', async () => {
    const broken = join(dir, 'broken');
    await mkdir(join(broken, 'index.html'), { recursive: true });
    const { app } = appWith(memoryApiDeps().deps, { adminDir: broken });
    await problemOf(await app.request('/admin/'), 500, 'internal');
  });

  it('is absent without a console directory', async () => {
    const { app } = appWith(memoryApiDeps().deps);
    await problemOf(await app.request('/admin/'), 404, 'route.not_found');
  });
});
