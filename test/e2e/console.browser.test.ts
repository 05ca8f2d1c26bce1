import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchTestBrowser } from '../support/browser.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

// CI installs Debian's chromium; a developer machine without it skips this file.
const haveBrowser = existsSync(CHROMIUM) || process.env.CI === 'true';
/** Screenshots of each console page, kept as test artifacts (gitignored). */
const SHOTS = path.resolve('test-artifacts/console');
const BUILD_MS = 90_000;

/** The one-time link the worker prints on stderr at start. */
async function printedLink(server: ServerProcess): Promise<string> {
  const started = Date.now();
  while (Date.now() - started < 10_000) {
    const match = /(http:\/\/\S+\/console\/signin\?token=\S+)/.exec(server.output());
    if (match?.[1]) return match[1];
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no console link printed:\n${server.output()}`);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Waits for a build page to reach the end of its build (the page reloads itself then). */
async function waitForBuildEnd(page: Page): Promise<string> {
  await expect
    .poll(() => page.locator('#build').getAttribute('data-terminal'), { timeout: BUILD_MS })
    .toBe('true');
  return (await page.locator('#build-status').textContent()) ?? '';
}

describe.skipIf(!haveBrowser)('the web console in a real browser', () => {
  let dataDir: string;
  let server: ServerProcess;
  let receiver: WebhookReceiver;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let link: string;
  const problems: string[] = [];

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    dataDir = await mkdtemp(path.join(tmpdir(), 'sheen-console-'));
    receiver = await startWebhookReceiver();
    // The browser starts while the server boots.
    const launched = launchTestBrowser();
    server = await startServer(
      {
        DATA_DIR: dataDir,
        WEBHOOK_URL: receiver.url('/hooks'),
        WEBHOOK_SECRET: `whsec_${randomBytes(32).toString('base64')}`,
        // The receiver is on loopback.
        WEBHOOK_ALLOW_PRIVATE: 'true',
        WEBHOOK_POLL_MS: '100',
      },
      // A loaded machine (CI shares its cores) can take a while to boot PGlite and tsx.
      60_000,
    ).catch(async (err: unknown) => {
      await (await launched).close();
      throw err;
    });
    browser = await launched;
    link = await printedLink(server);
    context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    page = await context.newPage();
    // The console's pages must run under their CSP without a single violation.
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop('SIGTERM');
    await receiver?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses console pages and actions without a session, and shows no data', async () => {
    const base = new URL(link).origin;
    const page401 = await fetch(`${base}/console/projects`);
    expect(page401.status).toBe(401);
    const text = await page401.text();
    expect(text).toContain('CONSOLE_SESSION_REQUIRED');
    expect(text).not.toContain('<table');
    const post = await fetch(`${base}/console/apps`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: 'userId=console&prompt=hello',
    });
    expect(post.status).toBe(401);
    expect(((await post.json()) as { error: { code: string } }).error.code).toBe(
      'CONSOLE_SESSION_REQUIRED',
    );
    const events = await fetch(`${base}/console/builds/${'0'.repeat(26)}/events`);
    expect(events.status).toBe(401);
  });

  it('signs in with the printed link, which then works no more', async () => {
    await page.goto(link);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/console');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('New app');
    const cookie = (await context.cookies()).find((c) => c.name === 'sheen_console');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    await shot(page, 'new-app');

    const again = await browser.newPage();
    await again.goto(link);
    await again.getByRole('button', { name: 'Sign in' }).click();
    expect(await again.locator('#error-code').textContent()).toBe('CONSOLE_SIGNIN_INVALID');
    await again.close();
  });

  it('refuses an action with a wrong CSRF token, even with the session cookie', async () => {
    const base = new URL(link).origin;
    const res = await context.request.post(`${base}/console/apps`, {
      form: { _csrf: 'not-the-token', userId: 'console', prompt: 'A page that must not be built' },
      headers: { accept: 'application/json' },
      maxRedirects: 0,
    });
    expect(res.status()).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('CSRF_INVALID');
    const none = await context.request.post(`${base}/console/apps`, {
      form: { userId: 'console', prompt: 'A page that must not be built' },
      maxRedirects: 0,
    });
    expect(none.status()).toBe(403);
    await page.goto(`${base}/console/projects`);
    expect(await page.locator('table').count()).toBe(0); // nothing was built
  });

  let projectUrl: string;

  it(
    'builds an app, showing its stages live, then the preview in a frame',
    async () => {
      await page.goto(new URL('/console', link).toString());
      await page
        .getByRole('textbox', { name: /^Prompt/ })
        .fill('A landing page for "Harbor Lights Cafe", a seaside coffee shop');
      await page.getByRole('button', { name: 'Build app' }).click();
      await expect.poll(() => page.url()).toMatch(/\/console\/builds\/[0-9A-Z]{26}$/);
      // Stages change on the page while the build runs, before it reloads at the end.
      await expect
        .poll(() => page.locator('#stages .status-succeeded').count(), { timeout: BUILD_MS })
        .toBeGreaterThan(0);
      expect(await waitForBuildEnd(page)).toBe('succeeded');
      await expect.poll(() => page.locator('#log li').count()).toBeGreaterThan(5);
      const frame = page.frameLocator('iframe.preview');
      await expect
        .poll(() => frame.locator('h1').first().textContent(), { timeout: 20_000 })
        .toContain('Harbor Lights Cafe');
      // Give the framed app a moment to paint (its hero fades in) so the screenshot shows it.
      await page.waitForTimeout(1000);
      await shot(page, 'build');
      await page.getByRole('link', { name: 'Harbor Lights Cafe' }).first().click();
      projectUrl = page.url();
      expect(projectUrl).toMatch(/\/console\/projects\/[0-9A-Z]{26}$/);
    },
    BUILD_MS,
  );

  it(
    'updates the app, rolls back to the first version and publishes it',
    async () => {
      await page.getByLabel(/Change the app/).fill('Make it dark and add a gallery');
      await page.getByRole('button', { name: 'Build update' }).click();
      expect(await waitForBuildEnd(page)).toBe('succeeded');
      await page.goto(projectUrl);
      const v2 = page.locator('[data-version="2"]');
      await expect.poll(() => v2.textContent()).toContain('current');

      await page.getByRole('button', { name: 'Roll back to v1' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('Rolled back');
      await expect
        .poll(() => page.locator('[data-version="1"]').textContent())
        .toContain('current');

      await page.getByRole('button', { name: 'Publish v1' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('Published');
      expect(await page.locator('[data-version="1"] .badge.ok').textContent()).toBe('published');
      const production = page.getByRole('link', { name: /^http:\/\/.*\.localhost:\d+\/$/ });
      expect(await production.count()).toBe(1);
      await page.getByLabel('Add a domain').fill('www.harbor-lights-cafe.com');
      await page.getByRole('button', { name: 'Add domain' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('Domain added');
      expect(await page.locator('.domain table').textContent()).toContain('TXT');
      await shot(page, 'project');

      await page.getByRole('link', { name: 'Projects' }).click();
      const row = page.locator('tbody tr').first();
      expect(await row.textContent()).toContain('Harbor Lights Cafe');
      expect(await row.locator('.badge.ok').textContent()).toBe('v1');
      await shot(page, 'projects');
    },
    2 * BUILD_MS,
  );

  it('shows usage, and webhook deliveries that can be sent again', async () => {
    await page.getByRole('link', { name: 'Usage' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Ledger' }).count()).toBe(1);
    await shot(page, 'usage');

    await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBeGreaterThan(0);
    await page.getByRole('link', { name: 'Webhooks' }).click();
    const first = page.locator('section.card[aria-label^="Delivery"]').first();
    await expect.poll(() => first.textContent()).toContain('200');
    const before = receiver.received.length;
    await first.getByRole('button', { name: /^Redeliver/ }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Sent again');
    await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBeGreaterThan(before);
    await shot(page, 'webhooks');
  });

  it('signs out, after which the cookie opens nothing', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/console/signin');
    for (const url of [projectUrl, new URL('/console/projects', link).toString()]) {
      const res = await page.goto(url);
      expect(res?.status()).toBe(401);
      // Projects exist now: none of them may show without a session.
      const body = await page.content();
      expect(body).toContain('CONSOLE_SESSION_REQUIRED');
      expect(body).not.toContain('Harbor Lights Cafe');
    }
    const plain = await fetch(projectUrl, { headers: { accept: 'application/json' } });
    expect(plain.status).toBe(401);
    expect(await plain.text()).not.toContain('Harbor Lights Cafe');
    expect(problems).toEqual([]);
  });
});
