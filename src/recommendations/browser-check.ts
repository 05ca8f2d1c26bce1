import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import type { BrowserContext, Page } from 'playwright-core';
import { makeScratchDir } from '../pipeline/leftovers.js';
import type { IdentityPool } from '../sandbox/identity-pool.js';
import { removeTree } from '../workspace/remove-tree.js';
import { withChromium } from './chromium-launch.js';
import { serveDirectory } from './static-server.js';

/** One thing that went wrong on the page. */
export interface PageError {
  /** 'exception': uncaught; 'console': console.error; 'http': a file of the site failed to load. */
  type: 'exception' | 'console' | 'http';
  message: string;
}

export type PageCheckOutcome =
  | { status: 'ran'; errors: PageError[]; blockedRequests: number }
  | { status: 'skipped' | 'failed'; reason: string };

/** Opens a built site in a real browser and reports the errors it shows. */
export interface PageChecker {
  check(siteDir: string): Promise<PageCheckOutcome>;
}

export interface ChromiumOptions {
  chromiumPath: string;
  /** Scratch profiles live under DATA_DIR/tmp (swept at start-up if a crash leaves one). */
  dataDir: string;
  /** PATH for the browser, which gets nothing else of the worker's environment. */
  systemPath: string;
  /** A root worker runs the browser as a sandbox uid from here. */
  identities?: IdentityPool;
  /** For the whole check: launch, load and the wait for late errors. */
  timeoutMs?: number;
  /** How long to keep listening after `load` (errors thrown by effects and timers). */
  settleMs?: number;
}

const MAX_ERRORS = 20;
/** Checks queued or running at once; more are skipped, as each holds a request open. */
const MAX_PENDING = 3;

/**
 * The page check in headless Chromium, driven by playwright-core. A generated app is
 * untrusted: it is served from a loopback port of its own, every request to any other origin
 * (other loopback services included) is aborted, WebSockets and service workers too, and the
 * browser runs unprivileged (see chromium-launch.ts). Checks run one at a time: a browser per
 * check is heavy on a small machine.
 */
export class ChromiumPageChecker implements PageChecker {
  private queue: Promise<unknown> = Promise.resolve();
  private pending = 0;

  constructor(private readonly options: ChromiumOptions) {}

  async check(siteDir: string): Promise<PageCheckOutcome> {
    if (this.pending >= MAX_PENDING)
      return {
        status: 'skipped',
        reason: 'the browser is busy with other checks; ask again shortly',
      };
    this.pending += 1;
    const next = this.queue.then(() => this.run(siteDir));
    this.queue = next.catch(() => undefined);
    try {
      return await next;
    } finally {
      this.pending -= 1;
    }
  }

  private async run(siteDir: string): Promise<PageCheckOutcome> {
    const { chromiumPath } = this.options;
    const present = await access(chromiumPath, constants.X_OK).then(
      () => true,
      () => false,
    );
    if (!present)
      return {
        status: 'skipped',
        reason: `chromium not installed (CHROMIUM_PATH=${chromiumPath})`,
      };
    let playwright: typeof import('playwright-core');
    try {
      playwright = await import('playwright-core');
    } catch {
      return { status: 'skipped', reason: 'playwright-core is not installed' };
    }
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    const scratchDir = await makeScratchDir(this.options.dataDir, 'chromium');
    const site = await serveDirectory(siteDir);
    try {
      const launch = { ...this.options, timeoutMs, scratchDir };
      return await withChromium(playwright, launch, (context) =>
        visit(context, site.origin, timeoutMs, this.options.settleMs ?? 1000),
      );
    } catch (err) {
      return { status: 'failed', reason: firstLine((err as Error).message) };
    } finally {
      await site.close();
      await removeTree(scratchDir);
    }
  }
}

async function visit(
  context: BrowserContext,
  origin: string,
  timeoutMs: number,
  settleMs: number,
): Promise<PageCheckOutcome> {
  const blocked = new Set<string>();
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (sameOrigin(url, origin)) return route.continue();
    blocked.add(url);
    return route.abort('blockedbyclient');
  });
  await context.routeWebSocket(/.*/, (ws) => ws.close());
  const page = await context.newPage();
  const errors: PageError[] = [];
  listen(page, origin, blocked, errors);
  await page.goto(`${origin}/`, { waitUntil: 'load', timeout: timeoutMs });
  await page.waitForTimeout(settleMs);
  return { status: 'ran', errors: errors.slice(0, MAX_ERRORS), blockedRequests: blocked.size };
}

function listen(page: Page, origin: string, blocked: Set<string>, errors: PageError[]): void {
  const add = (type: PageError['type'], message: string) => {
    if (errors.length <= MAX_ERRORS) errors.push({ type, message: message.slice(0, 500) });
  };
  page.on('pageerror', (err) => add('exception', firstLine(err.message) || String(err)));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // A request this check blocked is the check's doing, not the app's error; a file of the
    // site that failed is reported once, by the response listener.
    if (blocked.has(msg.location().url) || msg.text().startsWith('Failed to load resource')) return;
    add('console', msg.text());
  });
  page.on('response', (res) => {
    if (res.status() < 400 || !sameOrigin(res.url(), origin)) return;
    const { pathname } = new URL(res.url());
    // Browsers ask for it unprompted; a site without one has no error for its visitors.
    if (pathname !== '/favicon.ico') add('http', `${res.status()} ${pathname}`);
  });
}

function sameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').slice(0, 300);
}
