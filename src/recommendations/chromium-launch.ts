import { chmod, chown, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import type { IdentityPool } from '../sandbox/identity-pool.js';
import type { SandboxIdentity } from '../sandbox/sandbox.js';

type Playwright = typeof import('playwright-core');

export interface LaunchOptions {
  chromiumPath: string;
  timeoutMs: number;
  /** A fresh private directory for the profile (removed by the caller). */
  scratchDir: string;
  /** Where a root worker leases the unprivileged uid the browser runs as. */
  identities?: IdentityPool | undefined;
  /** PATH for the browser: its environment holds nothing of the worker's. */
  systemPath: string;
}

// Without the background-networking flags Chromium tries to reach Google's hosts at start.
const FLAGS = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-extensions',
  // Defence in depth beside the request routing: no host name resolves.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

/**
 * Runs `use` with a browser context of a fresh profile. A root worker runs Chromium as a
 * sandbox uid leased for the check (Chromium refuses its own sandbox as root, and a page is
 * untrusted code), through a small launcher that drops to that uid; the lease's release kills
 * whatever the browser left under it. A worker that is not root runs Chromium as itself, with
 * Chromium's sandbox on. The browser never sees the worker's environment.
 */
export async function withChromium<T>(
  playwright: Playwright,
  options: LaunchOptions,
  use: (context: BrowserContext) => Promise<T>,
): Promise<T> {
  const root = process.getuid?.() === 0;
  const lease =
    root && options.identities
      ? await options.identities.acquire(AbortSignal.timeout(options.timeoutMs))
      : undefined;
  try {
    const identity = lease?.identity;
    const profile = path.join(options.scratchDir, 'profile');
    await mkdir(profile);
    let executablePath = options.chromiumPath;
    if (identity) {
      await chown(profile, identity.uid, identity.gid);
      // The uid reaches its profile through the scratch directory, and lists nothing there.
      await chmod(options.scratchDir, 0o711);
      executablePath = await writeLauncher(options.scratchDir, options.chromiumPath, identity);
    }
    const context = await playwright.chromium.launchPersistentContext(profile, {
      executablePath,
      args: FLAGS,
      // Playwright turns Chromium's sandbox off unless asked; as root without a lease there is
      // no other way (Chromium will not start sandboxed as root).
      chromiumSandbox: !(root && !identity),
      env: { HOME: profile, PATH: options.systemPath, TMPDIR: profile },
      timeout: options.timeoutMs,
      headless: true,
      serviceWorkers: 'block',
      acceptDownloads: false,
    });
    try {
      return await use(context);
    } finally {
      await context.close().catch(() => undefined);
    }
  } finally {
    await lease?.release();
  }
}

/**
 * An executable that runs Chromium as `identity` with the arguments and file descriptors it
 * was given (Playwright talks to the browser over fds 3 and 4). No shell: a Node script that
 * spawns an argv array with the uid and gid set (and supplementary groups dropped).
 */
async function writeLauncher(
  dir: string,
  chromiumPath: string,
  identity: SandboxIdentity,
): Promise<string> {
  const file = path.join(dir, 'chromium-as-sandbox-uid.mjs');
  const script = `#!${process.execPath}
import { spawn } from 'node:child_process';
const child = spawn(${JSON.stringify(chromiumPath)}, process.argv.slice(2), {
  uid: ${identity.uid},
  gid: ${identity.gid},
  stdio: [0, 1, 2, 3, 4],
});
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
child.on('error', () => process.exit(1));
`;
  await writeFile(file, script, { mode: 0o700 });
  return file;
}
