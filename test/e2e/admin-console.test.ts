import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY } from '../support/admin-key.js';
import { CHROMIUM_ARGS, ensureChromium } from '../support/chromium.js';
import { startImageOrigin, type ImageOrigin } from '../support/image-origin.js';
import { freePort, spawnService, type SpawnedService } from '../support/spawn-service.js';
import { testImagesDir } from '../support/testdata.js';

// The admin console in headless Chromium against `npm start` on the embedded default (PGlite,
// in-process queue and event stream), image sources on a local origin. Screenshots go to a
// temporary folder; ADMIN_SCREENSHOTS=docs writes the README's two into docs/ instead.
const root = fileURLToPath(new URL('../..', import.meta.url));
let origin: ImageOrigin;
let dataDir: string;
let shots: string;
let profile: string;
let service: SpawnedService;
let browser: BrowserContext;
/** A webhook receiver on 127.0.0.1 that takes every delivery. */
let receiver: Server;
let received = 0;

beforeAll(async () => {
  const executablePath = await ensureChromium();
  // The console is part of `npm run build`; build it here when a checkout has not yet.
  const built = await access(join(root, 'dist/admin/index.html')).then(() => true, () => false);
  if (!built) await promisify(execFile)(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', 'admin', '--logLevel', 'warn'], { cwd: root, env: { ...process.env, NODE_ENV: 'production' } });
  origin = await startImageOrigin();
  receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(204).end();
    });
  }).listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  dataDir = await mkdtemp(join(tmpdir(), 'catalog-admin-'));
  shots = process.env.ADMIN_SCREENSHOTS === 'docs' ? join(root, 'docs') : join(dataDir, 'screenshots');
  await mkdir(shots, { recursive: true });
  const port = await freePort();
  service = await spawnService('server.ts', {
    DATA_DIR: dataDir,
    PORT: String(port),
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    IMAGE_FETCH_ALLOW_PRIVATE_NETWORKS: 'true',
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    // Two attempts: a source that fails twice is failed and dead-lettered.
    IMAGE_RETRY_DELAYS_MS: '200',
  });
  profile = await mkdtemp(join(tmpdir(), 'admin-chromium-'));
  browser = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1200, height: 860 } });
}, 15 * 60_000);

afterAll(async () => {
  await browser?.close();
  await service?.stop('SIGTERM');
  await origin?.close();
  await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  if (profile) await rm(profile, { recursive: true, force: true });
});

/** A small PNG of the page: screenshots are for reading, not pixel-perfect. */
async function screenshot(page: Page, name: string): Promise<Buffer> {
  const png = await sharp(await page.screenshot()).resize({ width: Math.min(960, page.viewportSize()!.width) }).png({ palette: true, quality: 70, compressionLevel: 9 }).toBuffer();
  await writeFile(join(shots, name), png);
  return png;
}

const card = (page: Page, name: string): Locator => page.locator('article.product', { has: page.getByRole('heading', { name }) });
const statuses = (product: Locator) => product.locator('li.image').evaluateAll((items) => items.map((item) => item.getAttribute('data-status')));

/** Fills the new-product form and submits it. */
async function createProduct(page: Page, name: string, urls: string[]): Promise<void> {
  await page.getByRole('button', { name: 'New product' }).click();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Description').fill(`${name}, from the browser test.`);
  await page.getByLabel('Price', { exact: true }).fill('19.99');
  await page.getByLabel('Image URLs, one a line').fill(urls.join('\n'));
  await page.getByRole('button', { name: 'Create product' }).click();
  await expect.poll(() => card(page, name).count()).toBe(1);
}

describe('the admin console in headless Chromium', () => {
  it('creates, watches, uploads, fails, retries and replays without a reload', { timeout: 180_000 }, async () => {
    const elsewhere: string[] = [];
    const complaints: string[] = [];
    await browser.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.origin === service.url) return route.continue();
      elsewhere.push(url.href);
      return route.abort('blockedbyclient');
    });
    const page = await browser.newPage();
    page.on('pageerror', (error) => complaints.push(error.message));
    let loads = 0;
    page.on('load', () => loads++);

    // The key, by keyboard: its label, Enter submits.
    const response = await page.goto(`${service.url}/admin`);
    expect(response?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe('/admin/');
    await page.getByLabel('API key').fill('not-a-key-at-all-but-long-enough-0123456789');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('unknown or revoked');
    await page.getByLabel('API key').fill(TEST_ADMIN_KEY);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.live').textContent(), { timeout: 10_000 }).toBe('Live');

    await page.getByLabel("New user's name").fill('Console Tester');
    await page.getByLabel('Email').fill(`console-${Date.now()}@example.test`);
    await page.getByRole('button', { name: 'Create user' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/^User \d+ created\.$/);

    // Two images from the local origin turn done while the page stays as it is, with thumbnails.
    await createProduct(page, 'Walnut desk', [`${origin.url}/images/dune.jpg`, `${origin.url}/images/ladybird.jpg`]);
    const desk = card(page, 'Walnut desk');
    await expect.poll(() => statuses(desk), { timeout: 60_000 }).toEqual(['done', 'done']);
    const thumbnails = desk.locator('li.image img');
    await expect.poll(() => thumbnails.evaluateAll((images) => images.map((image) => (image as unknown as { naturalWidth: number }).naturalWidth > 0))).toEqual([true, true]);
    expect(await thumbnails.first().getAttribute('src')).toMatch(/\/files\/.+/);

    // One more by drag and drop onto the card's drop zone.
    const bytes = (await readFile(join(testImagesDir(), 'progressive.jpg'))).toString('base64');
    // Built in the page (the test has no DOM types): a DataTransfer holding the file, as a drop has.
    const dataTransfer = await page.evaluateHandle(`(() => {
      const transfer = new DataTransfer();
      const bytes = Uint8Array.from(atob('${bytes}'), (char) => char.charCodeAt(0));
      transfer.items.add(new File([bytes], 'progressive.jpg', { type: 'image/jpeg' }));
      return transfer;
    })()`);
    await desk.locator('.drop').dispatchEvent('dragover', { dataTransfer });
    await desk.locator('.drop').dispatchEvent('drop', { dataTransfer });
    await expect.poll(() => statuses(desk), { timeout: 60_000 }).toEqual(['done', 'done', 'done']);
    await expect.poll(() => thumbnails.evaluateAll((images) => images.map((image) => (image as unknown as { naturalWidth: number }).naturalWidth > 0))).toEqual([true, true, true]);
    await screenshot(page, 'admin-console.png');

    // A hostile source fails with its reason; Retry fetches it again (and it fails again).
    const hostile = `${origin.url}/images/hostile/not-an-image.jpg`;
    await createProduct(page, 'Hostile lamp', [hostile]);
    const lamp = card(page, 'Hostile lamp');
    await expect.poll(() => statuses(lamp), { timeout: 60_000 }).toEqual(['failed']);
    const reason = await lamp.locator('.image-error').textContent();
    expect(reason).toBeTruthy();
    expect(origin.hits('/images/hostile/not-an-image.jpg')).toBe(1);
    const retried = page.waitForResponse((answer) => answer.url().endsWith('/retry'));
    await lamp.getByRole('button', { name: 'Retry image 1 of Hostile lamp' }).click();
    expect((await retried).status()).toBe(202);
    await expect.poll(() => origin.hits('/images/hostile/not-an-image.jpg'), { timeout: 30_000 }).toBe(2);
    await expect.poll(() => statuses(lamp), { timeout: 30_000 }).toEqual(['failed']);
    expect(await lamp.locator('.image-error').textContent()).toBe(reason);

    // A source that answers 503 twice uses up both attempts: failed, and a dead letter; its replay
    // makes the third request, which succeeds, and the image turns done.
    await createProduct(page, 'Flaky chair', [`${origin.url}/flaky/2/wood.webp`]);
    const chair = card(page, 'Flaky chair');
    await expect.poll(() => statuses(chair), { timeout: 60_000 }).toEqual(['failed']);
    const letters = page.locator('tr[data-dead-letter-id]');
    await expect
      .poll(async () => {
        await page.getByRole('button', { name: 'Refresh dead letters' }).click();
        return letters.filter({ hasText: 'image' }).count();
      }, { timeout: 30_000 })
      .toBeGreaterThan(0);
    const letter = letters.filter({ hasText: 'image' }).first();
    expect(await letter.textContent()).toContain('503');
    await letter.getByRole('button', { name: /^Replay / }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/^Dead letter \S+ replayed\.$/);
    await expect.poll(() => statuses(chair), { timeout: 60_000 }).toEqual(['done']);
    expect(origin.hits('/flaky/2/wood.webp')).toBe(3);

    // Edit: the new name shows at once.
    await chair.getByRole('button', { name: 'Edit Flaky chair' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Steady chair');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => card(page, 'Steady chair').count()).toBe(1);

    // A webhook's deliveries, picked from the list: the receiver took the product's update. Fifty
    // more endpoints (for an event that no longer happens) put the list past one page.
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const register = async (events: string[]) => {
      const registered = await fetch(`${service.url}/webhooks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: hookUrl, events }),
      });
      expect(registered.status).toBe(201);
      return (await registered.json()) as { id: string };
    };
    const webhook = await register(['product.updated']);
    for (let extra = 0; extra < 50; extra++) await register(['product.deleted']);
    await card(page, 'Steady chair').getByRole('button', { name: 'Edit Steady chair' }).click();
    await page.getByLabel('Price', { exact: true }).fill('24.5');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => received, { timeout: 30_000 }).toBeGreaterThan(0);
    const hooks = page.getByRole('list', { name: 'Webhooks' }).getByRole('listitem');
    await page.getByRole('button', { name: 'Refresh webhooks' }).click();
    await expect.poll(() => hooks.count()).toBe(50);
    await page.getByRole('button', { name: 'More webhooks' }).click();
    await expect.poll(() => hooks.count()).toBe(51);
    expect(await page.getByRole('button', { name: 'More webhooks' }).count()).toBe(0);
    const ids = await hooks.evaluateAll((items) => items.map((item) => item.getAttribute('data-webhook-id')));
    expect(ids).toEqual([...ids].sort());
    const row = page.locator(`li[data-webhook-id="${webhook.id}"]`);
    expect(await row.textContent()).toContain(hookUrl);
    expect(await row.textContent()).toContain('product.updated');
    expect(await row.textContent()).toContain(webhook.id);
    // Picked by keyboard: its labelled button, focused, Enter.
    const pick = row.getByRole('button', { name: `Show deliveries of ${hookUrl} (${webhook.id})` });
    await pick.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => pick.getAttribute('aria-pressed')).toBe('true');
    const delivery = page.getByRole('table', { name: /^Deliveries to/ }).locator('tbody tr').first();
    await expect.poll(() => delivery.textContent(), { timeout: 10_000 }).toContain('product.updated');
    expect(await delivery.textContent()).toContain('succeeded');
    expect(await delivery.textContent()).toContain('204');

    // Narrow screens get one column.
    await page.setViewportSize({ width: 420, height: 860 });
    await card(page, 'Hostile lamp').scrollIntoViewIfNeeded();
    await screenshot(page, 'admin-console-narrow.png');

    expect(loads).toBe(1);
    expect(elsewhere).toEqual([]);
    expect(complaints).toEqual([]);
    await page.close();
  });

  it('opens a new stream after a refused reconnect resuming after the last event it saw', { timeout: 60_000 }, async () => {
    const page = await browser.newPage();
    const complaints: string[] = [];
    page.on('pageerror', (error) => complaints.push(error.message));
    // The first stream sends one event and ends; the browser's own reconnect (Last-Event-ID set)
    // is refused as an expired token would be, so the console must open a new EventSource.
    const streams: { url: URL }[] = [];
    const event = { id: 'evt_resume_1', type: 'product.deleted', timestamp: new Date().toISOString(), product_id: 0, user_id: 0, data: { product: {} } };
    await page.route(/\/events\?/, async (route) => {
      streams.push({ url: new URL(route.request().url()) });
      if (streams.length === 1) {
        return route.fulfill({ status: 200, headers: { 'content-type': 'text/event-stream' }, body: `retry: 50\nid: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n` });
      }
      if (streams.length === 2) return route.fulfill({ status: 401, headers: { 'content-type': 'application/problem+json' }, body: '{"status":401,"code":"auth.unauthenticated"}' });
      return route.continue();
    });
    await page.goto(`${service.url}/admin/`);
    await page.getByLabel('API key').fill(TEST_ADMIN_KEY);
    await page.keyboard.press('Enter');
    await expect.poll(() => streams.length, { timeout: 20_000 }).toBe(3);
    await expect.poll(() => page.locator('.live').textContent(), { timeout: 10_000 }).toBe('Live');
    expect(streams[0]!.url.searchParams.get('last_event_id')).toBeNull();
    // The browser's own reconnect: the same URL (its Last-Event-ID header is not shown to routes).
    expect(streams[1]!.url.href).toBe(streams[0]!.url.href);
    // A new EventSource cannot set the header: the id travels in the URL, with a new token.
    expect(streams[2]!.url.searchParams.get('last_event_id')).toBe(event.id);
    expect(streams[2]!.url.searchParams.get('access_token')).not.toBe(streams[0]!.url.searchParams.get('access_token'));
    expect(complaints).toEqual([]);
    await page.close();
  });
});
