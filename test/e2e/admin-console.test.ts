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

    // A webhook's deliveries, by its id: the receiver took the image events of every product.
    const registered = await fetch(`${service.url}/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, events: ['product.updated'] }),
    });
    const webhook = (await registered.json()) as { id: string };
    await card(page, 'Steady chair').getByRole('button', { name: 'Edit Steady chair' }).click();
    await page.getByLabel('Price', { exact: true }).fill('24.5');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => received, { timeout: 30_000 }).toBeGreaterThan(0);
    await page.getByLabel('Webhook id').fill(webhook.id);
    await page.getByRole('button', { name: 'Show deliveries' }).click();
    const delivery = page.locator('section[aria-labelledby="deliveries-title"] tbody tr').first();
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
});
