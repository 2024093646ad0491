import { serve, type ServerType } from '@hono/node-server';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY } from '../support/admin-key.js';
import { CHROMIUM_ARGS, ensureChromium } from '../support/chromium.js';
import { memoryApiDeps } from '../support/memory-deps.js';
import { appWith } from './support/http-harness.js';

let server: ServerType;
let origin: string;
let profile: string;
let browser: BrowserContext;
const { app } = appWith(memoryApiDeps().deps, { serveFiles: true });

beforeAll(async () => {
  const executablePath = await ensureChromium();
  server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', resolve)));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  profile = await mkdtemp(join(tmpdir(), 'docs-chromium-'));
  browser = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args: CHROMIUM_ARGS });
}, 15 * 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve, reject) => (server ? server.close((error) => (error ? reject(error) : resolve())) : resolve()));
  if (profile) await rm(profile, { recursive: true, force: true });
});

describe('GET /docs in headless Chromium', () => {
  it('renders every operation from assets of its own origin: nothing else is asked for, nothing refused', async () => {
    const elsewhere: string[] = [];
    const fetched: string[] = [];
    const complaints: string[] = [];
    // Only the test server is reachable; any other request is recorded and cut.
    await browser.route('**/*', (route) => {
      const url = route.request().url();
      if (new URL(url).origin === origin) {
        fetched.push(new URL(url).pathname);
        return route.continue();
      }
      elsewhere.push(url);
      return route.abort('blockedbyclient');
    });
    const page = await browser.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') complaints.push(message.text());
    });
    page.on('pageerror', (error) => complaints.push(error.message));

    const response = await page.goto(`${origin}/docs`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");

    const document = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, { operationId: string }>> };
    const operationIds = Object.values(document.paths).flatMap((item) => Object.values(item).map((operation) => operation.operationId));
    const shown = page.locator('.opblock .opblock-summary-operation-id');
    await expect.poll(() => shown.count(), { timeout: 20_000 }).toBe(operationIds.length);
    expect((await shown.allTextContents()).sort()).toEqual([...operationIds].sort());
    await expect.poll(() => page.locator('.opblock-tag').count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator('.info .title').textContent()).toContain('Product catalog API');

    expect(elsewhere).toEqual([]);
    expect(complaints).toEqual([]);
    expect(fetched).toEqual(expect.arrayContaining(['/docs', '/openapi.json', expect.stringMatching(/^\/docs\/assets\/[0-9a-f]{16}\/swagger-ui-bundle\.js$/)]));
    await page.close();
  });

  it('authorizes with a key: Try it out on the admin-only /metrics answers 200', async () => {
    const page = await browser.newPage();
    const sent: (string | undefined)[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/metrics') sent.push(request.headers().authorization);
    });
    await page.goto(`${origin}/docs`);
    await page.locator('.btn.authorize').first().click();
    await page.locator('.modal-ux input').first().fill(TEST_ADMIN_KEY);
    await page.locator('.modal-ux .btn.modal-btn.auth.authorize').click();
    await page.locator('.modal-ux .btn-done').click();
    await page.locator('#operations-operations-getMetrics .opblock-summary').click();
    await page.locator('#operations-operations-getMetrics .try-out__btn').click();
    await page.locator('#operations-operations-getMetrics .execute').click();
    const status = page.locator('#operations-operations-getMetrics .live-responses-table tbody .response-col_status').first();
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toContain('200');
    expect(sent).toEqual([`Bearer ${TEST_ADMIN_KEY}`]);
    await page.close();
  });
});
