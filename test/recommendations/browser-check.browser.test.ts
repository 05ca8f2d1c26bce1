import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChromiumPageChecker } from '../../src/recommendations/browser-check.js';
import { withChromium } from '../../src/recommendations/chromium-launch.js';
import { UidPool } from '../../src/sandbox/identity-pool.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// CI installs Debian's chromium; a developer machine without it skips this file.
const haveBrowser = existsSync(CHROMIUM) || process.env.CI === 'true';

describe.skipIf(!haveBrowser)('the page check in headless Chromium', () => {
  let root: string;
  // Another loopback service: a generated page must never reach it.
  let bystander: http.Server;
  let bystanderHits = 0;
  let bystanderUrl: string;
  // As root (CI), the browser runs as a sandbox uid leased from here, as the worker does it.
  const identities =
    process.getuid?.() === 0 ? new UidPool({ base: 200_000, count: 64 }) : undefined;
  const options = () => ({
    chromiumPath: CHROMIUM,
    dataDir: root,
    systemPath: '/usr/local/bin:/usr/bin:/bin',
    ...(identities ? { identities } : {}),
  });
  let checker: ChromiumPageChecker;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'sheen-browser-check-'));
    // As the worker makes DATA_DIR: the sandbox uid may pass through to its profile.
    await chmod(root, 0o711);
    bystander = http.createServer((_req, res) => {
      bystanderHits += 1;
      res.end('ok');
    });
    await new Promise<void>((resolve) => bystander.listen(0, '127.0.0.1', resolve));
    bystanderUrl = `http://127.0.0.1:${(bystander.address() as AddressInfo).port}/`;
    checker = new ChromiumPageChecker({ ...options(), settleMs: 500 });
  });
  afterAll(async () => {
    await new Promise((resolve) => bystander.close(resolve));
    await rm(root, { recursive: true, force: true });
  });

  async function site(name: string, files: Record<string, string>): Promise<string> {
    const dir = path.join(root, name);
    for (const [file, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), text);
    }
    return dir;
  }

  it('a clean page: ran, no errors', async () => {
    const dir = await site('clean', {
      'index.html':
        '<!doctype html><html lang="en"><title>Fine</title><script defer src="/app.js"></script><h1>Fine</h1>',
      'app.js': 'document.querySelector("h1").textContent = "Fine indeed";',
    });
    expect(await checker.check(dir)).toEqual({ status: 'ran', errors: [], blockedRequests: 0 });
  }, 60_000);

  it('reports exceptions, console errors and files of the site that fail to load', async () => {
    const dir = await site('broken', {
      'index.html':
        '<!doctype html><title>Broken</title><script src="/missing.js"></script>' +
        '<link rel="icon" href="/favicon.ico">' +
        '<script>console.error("widget failed to mount");</script>' +
        '<script>setTimeout(() => { throw new Error("boom after load"); }, 50);</script>',
    });
    const outcome = await checker.check(dir);
    expect(outcome.status).toBe('ran');
    if (outcome.status !== 'ran') return;
    expect(outcome.errors).toEqual(
      expect.arrayContaining([
        { type: 'http', message: '404 /missing.js' },
        { type: 'console', message: 'widget failed to mount' },
        { type: 'exception', message: 'boom after load' },
      ]),
    );
    expect(outcome.errors).toHaveLength(3);
  }, 60_000);

  it('blocks every request to another origin, loopback included, without calling it an error', async () => {
    const dir = await site('reaching-out', {
      'index.html':
        '<!doctype html><title>Out</title>' +
        `<img src="${bystanderUrl}pixel.png">` +
        '<link rel="stylesheet" href="https://fonts.example.com/css">' +
        `<script>fetch(${JSON.stringify(bystanderUrl)}).catch(() => {});` +
        `try { new WebSocket(${JSON.stringify(bystanderUrl.replace('http', 'ws'))}); } catch {}</script>`,
    });
    const outcome = await checker.check(dir);
    expect(outcome).toMatchObject({ status: 'ran', errors: [] });
    if (outcome.status === 'ran') expect(outcome.blockedRequests).toBeGreaterThanOrEqual(2);
    expect(bystanderHits).toBe(0);
  }, 60_000);

  it('skips checks beyond three at once instead of queueing requests without end', async () => {
    const dir = await site('busy', { 'index.html': '<!doctype html><title>Busy</title>' });
    const outcomes = await Promise.all([1, 2, 3, 4, 5].map(() => checker.check(dir)));
    expect(outcomes.map((o) => o.status)).toEqual(['ran', 'ran', 'ran', 'skipped', 'skipped']);
    expect(outcomes[4]).toMatchObject({ reason: expect.stringMatching(/busy/) });
  }, 90_000);

  it('says it skipped when chromium is not where CHROMIUM_PATH points', async () => {
    const missing = new ChromiumPageChecker({
      ...options(),
      chromiumPath: path.join(root, 'no-chromium'),
    });
    expect(await missing.check(root)).toEqual({
      status: 'skipped',
      reason: `chromium not installed (CHROMIUM_PATH=${path.join(root, 'no-chromium')})`,
    });
  });

  it.runIf(process.getuid?.() === 0)(
    'as root, runs the browser as a leased sandbox uid with no worker environment',
    async () => {
      const scratchDir = await mkdtemp(path.join(root, 'launch-'));
      const playwright = await import('playwright-core');
      const seen = await withChromium(
        playwright,
        { ...options(), timeoutMs: 30_000, scratchDir },
        async () => browserProcesses(scratchDir),
      );
      expect(seen.length).toBeGreaterThan(0);
      for (const p of seen) {
        expect(p.uid, p.command).toBeGreaterThanOrEqual(200_000);
        expect(p.env, p.command).not.toContain('HMAC');
        // Chromium's own sandbox is on as well.
        expect(p.args, p.command).not.toContain('--no-sandbox');
      }
    },
    60_000,
  );
});

/** Chromium's processes for a profile under `scratchDir` (not its launcher), with uid and environment. */
async function browserProcesses(scratchDir: string) {
  const out: Array<{ command: string; args: string[]; uid: number; env: string }> = [];
  for (const pid of (await readdir('/proc')).filter((p) => /^\d+$/.test(p))) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    const argv = cmdline.split('\0');
    if (!cmdline.includes(scratchDir) || argv.some((a) => a.endsWith('.mjs'))) continue;
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
    const env = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
    out.push({ command: argv[0] ?? '', args: argv, uid, env });
  }
  return out;
}
