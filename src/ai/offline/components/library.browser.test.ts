/**
 * Every library component mounted in one app built from the offline scaffold, driven in
 * chromium with the keyboard and by label: one install, one build, one page.
 */
import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchTestBrowser } from '../../../../test/support/browser.js';
import {
  installScaffoldDeps,
  typecheckAndBuild,
  writeFiles,
} from '../../../../test/support/offline-apps.js';
import { analyzePrompt } from '../analyze.js';
import { loadScaffold } from '../engine.js';
import { renderApp } from '../render/app.js';
import type { BlockRequest } from './index.js';
import { BlockSchema, FEATURE_IDS } from './index.js';

const haveBrowser = existsSync(CHROMIUM) || process.env.CI === 'true';

const pad = (n: number) => String(n).padStart(2, '0');
/** A day `days` from now, as the countdown's `YYYY-MM-DD`. */
function dayFromNow(days: number): string {
  const date = new Date(Date.now() + days * 86_400_000);
  return date.getFullYear() + '-' + pad(date.getMonth() + 1) + '-' + pad(date.getDate());
}

const EVERY_DAY = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

const REQUESTS: BlockRequest[] = [
  { feature: 'countdown', data: { title: 'Biscuit turns five', date: dayFromNow(10) } },
  { feature: 'countdown', data: { date: '2001-01-01', doneText: 'That day has passed.' } },
  {
    feature: 'priorities',
    data: {
      title: 'Chores',
      items: [
        { text: 'Water the plants', priority: 'low' },
        { text: 'Pay the rent', priority: 'High' },
      ],
    },
  },
  { feature: 'rsvp', data: { maxGuests: 4 } },
  {
    feature: 'gallery',
    data: { items: [{ caption: 'Lions at dawn' }, { caption: 'Rift Valley' }] },
  },
  {
    feature: 'pricing',
    data: {
      plans: [
        { name: 'Starter', price: 9 },
        { name: 'Studio', price: 29.5, featured: true },
      ],
    },
  },
  {
    feature: 'faq',
    data: { items: [{ question: 'Do you deliver?', answer: 'Within the city.' }] },
  },
  { feature: 'testimonials', data: { items: [{ quote: 'Lovely cakes.', name: 'Amara' }] } },
  {
    feature: 'hours',
    data: {
      days: EVERY_DAY.map((day) => ({ day, opens: '00:00', closes: '23:59' })) as never,
    },
  },
  { feature: 'map', data: { address: '12 Harbour Street, Bristol' } },
  { feature: 'newsletter' },
  { feature: 'contact', data: { email: 'owner@example.com' } },
  {
    feature: 'chart',
    data: {
      title: 'Revenue per shop',
      labels: ['Jan', 'Feb', 'Mar'],
      series: [
        { name: 'Harbour', values: [1200, 1350, 1500] },
        { name: 'Market', values: [900, 950, 1100] },
      ],
      unit: 'currency',
    },
  },
];

/** Serves `root` on 127.0.0.1 (an ephemeral port), files only, paths contained. */
function serve(root: string): Promise<Server> {
  const types: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const file = path.join(root, url.pathname === '/' ? 'index.html' : url.pathname);
    if (!file.startsWith(root + path.sep)) return void res.writeHead(404).end();
    fs.readFile(file).then(
      (body) => {
        res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'text/plain' });
        res.end(body);
      },
      () => res.writeHead(404).end(),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe.skipIf(!haveBrowser)('component library in a real browser', () => {
  let base = '';
  let server: Server | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'sheen-components-'));
    const modules = await installScaffoldDeps(base);
    const spec = analyzePrompt('A page for Harbour Street Bakery in Bristol');
    const blocks = REQUESTS.map((request) => BlockSchema.parse(request));
    const app = path.join(base, 'app');
    await writeFiles(app, [
      ...(await loadScaffold()),
      ...renderApp({ ...spec, sections: [], blocks }),
    ]);
    await typecheckAndBuild(app, modules);
    server = await serve(path.join(app, 'dist'));
    browser = await launchTestBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // A locator that matches nothing fails within the test's time, naming itself.
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    const { port } = server.address() as AddressInfo;
    await page.goto('http://127.0.0.1:' + port + '/', { waitUntil: 'networkidle' });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    if (base) await fs.rm(base, { recursive: true, force: true });
  });

  it('mounts every feature once per request, each in its own labelled section', async () => {
    expect(new Set(REQUESTS.map((request) => request.feature))).toEqual(new Set(FEATURE_IDS));
    for (const anchor of [...FEATURE_IDS, 'countdown-2']) {
      const section = page.locator('section#' + anchor);
      await expect.poll(() => section.count()).toBeGreaterThan(0);
      expect(await section.count(), anchor).toBe(1);
      expect(await section.getAttribute('aria-labelledby'), anchor).toBe(anchor + '-title');
    }
  });

  it('counts down to a date, and says when it has passed', async () => {
    const timer = page.getByRole('timer', { name: /Time left until/ });
    const days = Number(await timer.locator('dd').first().textContent());
    expect([9, 10]).toContain(days);
    const seconds = timer.locator('dd').nth(3);
    const first = await seconds.textContent();
    await expect.poll(() => seconds.textContent(), { timeout: 3000 }).not.toBe(first);
    await expect
      .poll(() => page.locator('#countdown-2').textContent())
      .toContain('That day has passed.');
  });

  it('adds an item with a priority, sorts by it, keeps the list after a reload', async () => {
    const section = page.locator('#priorities');
    await section.getByLabel('Item').fill('Fix the oven');
    await section.getByLabel('Priority', { exact: true }).selectOption({ label: 'Medium' });
    await section.getByLabel('Item').press('Enter');
    const texts = () => section.locator('.priority-text').allTextContents();
    await expect.poll(texts).toEqual(['Pay the rent', 'Fix the oven', 'Water the plants']);
    await section.getByLabel('Sort by').selectOption('name');
    await expect.poll(texts).toEqual(['Fix the oven', 'Pay the rent', 'Water the plants']);
    await page.reload({ waitUntil: 'networkidle' });
    await expect.poll(texts).toContain('Fix the oven');
  });

  it('keeps RSVP replies in a list in the browser', async () => {
    const section = page.locator('#rsvp');
    await section.getByLabel('Name').fill('Ada');
    await section.getByLabel('Guests, including you').fill('3');
    await section.getByRole('button', { name: 'Add reply' }).click();
    await section.getByLabel('Name').fill('Grace');
    await section.getByLabel('No').check();
    await section.getByRole('button', { name: 'Add reply' }).click();
    await expect
      .poll(() => section.getByRole('heading', { level: 3 }).textContent())
      .toBe('3 guests coming');
    await page.reload({ waitUntil: 'networkidle' });
    const list = section.getByRole('list', { name: 'Replies' });
    await expect.poll(() => list.locator('li').allTextContents()).toHaveLength(2);
    await list.getByRole('button', { name: 'Remove reply from Grace' }).click();
    await expect.poll(() => list.locator('li').count()).toBe(1);
    expect(await section.textContent()).toContain('kept in this browser only');
  });

  it('opens the gallery lightbox from the keyboard, steps through it and closes it', async () => {
    const tile = page.getByRole('button', { name: 'Open Lions at dawn' });
    await tile.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.getAttribute('aria-label')).toBe('Lions at dawn');
    expect(await page.locator(':focus').textContent()).toBe('Close');
    // Focus stays in the dialog: Tab from its last button wraps to its first.
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').textContent()).toBe('Previous');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => dialog.getAttribute('aria-label')).toBe('Rift Valley');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await page.locator(':focus').getAttribute('aria-label')).toBe('Open Lions at dawn');
  });

  it('shows prices, questions, quotes, hours and a map link', async () => {
    const pricing = page.locator('#pricing');
    expect(await pricing.getByRole('article').count()).toBe(2);
    expect(await pricing.textContent()).toMatch(/\$9.*\$29\.50/s);
    const question = page.locator('#faq summary', { hasText: 'Do you deliver?' });
    await question.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#faq details').getAttribute('open')).toBe('');
    expect(await page.locator('#testimonials blockquote').textContent()).toBe('Lovely cakes.');
    const hours = page.locator('#hours');
    expect(await hours.locator('tbody tr').count()).toBe(7);
    expect(await hours.locator('tr.today').count()).toBe(1);
    if (new Date().getHours() * 60 + new Date().getMinutes() < 23 * 60 + 59) {
      expect(await hours.getByRole('status').textContent()).toBe('Open now');
    }
    const link = page.getByRole('link', { name: /Open in OpenStreetMap/ });
    expect(await link.getAttribute('href')).toBe(
      'https://www.openstreetmap.org/search?query=12%20Harbour%20Street%2C%20Bristol',
    );
  });

  it('says where messages go: an email to the owner, or nowhere yet', async () => {
    const contact = page.locator('#contact');
    expect(await contact.textContent()).toContain('Messages go by email to owner@example.com');
    await contact.getByLabel('Name').fill('Ada');
    await contact.getByLabel('Message').fill('Two loaves, please & thanks');
    await contact.getByRole('button', { name: 'Write email' }).click();
    const draft = contact.getByRole('link', { name: 'open the email' });
    const href = (await draft.getAttribute('href')) ?? '';
    expect(href.startsWith('mailto:owner@example.com?subject=')).toBe(true);
    expect(decodeURIComponent(href.split('&body=')[1] ?? '')).toContain(
      'Two loaves, please & thanks',
    );

    const newsletter = page.locator('#newsletter');
    expect(await newsletter.textContent()).toContain('Sign-up is not set up yet');
    expect(await newsletter.getByRole('button', { name: 'Sign up' }).isDisabled()).toBe(true);
  });

  it('draws a chart of each series and hides one on request', async () => {
    const chart = page.locator('#chart');
    expect(await chart.locator('polyline').count()).toBe(2);
    const market = chart.getByRole('button', { name: 'Market' });
    await market.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => chart.locator('polyline').count()).toBe(1);
    expect(await market.getAttribute('aria-pressed')).toBe('false');
    expect(await chart.getByRole('img').getAttribute('aria-label')).toContain('Harbour, Market');
    expect(await chart.locator('table tbody tr').count()).toBe(2);
  });

  it('logged no errors', () => {
    expect(problems).toEqual([]);
  });
});
