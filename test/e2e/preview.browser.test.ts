import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchTestBrowser } from '../support/browser.js';
import { WorkerClient } from '../../src/cli/client.js';
import { createAndFollow } from '../support/builds.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

// CI installs Debian's chromium; a developer machine without it skips this file.
const haveBrowser = existsSync(CHROMIUM) || process.env.CI === 'true';

describe.skipIf(!haveBrowser)('previews in a real browser', () => {
  let dataDir: string;
  let server: ServerProcess;
  let client: WorkerClient;
  let browser: Browser;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'sheen-browser-'));
    server = await startServer({ DATA_DIR: dataDir });
    const secret = (await readFile(path.join(dataDir, 'secrets', 'hmac.key'), 'utf8')).trim();
    client = new WorkerClient({ baseUrl: server.baseUrl, secret });
    browser = await launchTestBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop('SIGTERM');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('shows a finished page with the name as heading, without console errors', async () => {
    const build = await createAndFollow(client, {
      prompt: 'A landing page for "Harbor Lights Cafe", a seaside coffee shop, in navy',
    });
    expect(build.status).toBe('succeeded');
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(build.previewUrl as string, { waitUntil: 'networkidle' });
    await expect
      .poll(() => page.locator('h1').first().textContent())
      .toContain('Harbor Lights Cafe');
    expect(await page.title()).toContain('Harbor Lights Cafe');
    const shot = await page.screenshot({ path: path.join(dataDir, 'landing.png') });
    // A blank page compresses to almost nothing; a real one does not.
    expect(shot.length).toBeGreaterThan(20_000);
    expect(problems).toEqual([]);
    await page.close();
  }, 240_000);

  it('runs the generated todo app: add and remove items', async () => {
    const build = await createAndFollow(client, {
      prompt: 'A todo app called "Chore Chart" for household chores',
    });
    expect(build.status).toBe('succeeded');
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    // The path-based URL works the same as the host-based one.
    await page.goto(`${server.baseUrl}/preview/${build.buildId}/`, { waitUntil: 'networkidle' });
    const input = page.locator('input[type="text"], input:not([type])').first();
    const items = page.locator('li');
    const before = await items.count();
    await input.fill('Oil the squeaky gate');
    await input.press('Enter');
    await expect.poll(() => page.getByText('Oil the squeaky gate').count()).toBeGreaterThan(0);
    expect(await items.count()).toBe(before + 1);
    const row = page.locator('li', { hasText: 'Oil the squeaky gate' });
    await row
      .getByRole('button', { name: /remove|delete/i })
      .first()
      .click();
    await expect.poll(() => page.getByText('Oil the squeaky gate').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  }, 240_000);
});
